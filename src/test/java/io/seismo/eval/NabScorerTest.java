package io.seismo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** NAB's scoring on crafted files of 1,000 rows (probation 150 rows) with one window over rows 400..499. */
class NabScorerTest {
    private static final NabScorer.Profile STANDARD = NabScorer.PROFILES.get(0);
    private static final NabScorer.Profile LOW_FP = NabScorer.PROFILES.get(1);
    private static final NabScorer.Profile LOW_FN = NabScorer.PROFILES.get(2);
    private static final double MAX_TP = 0.9866142981514305; // 2 * sigmoid(5) - 1

    @Test
    void scaledSigmoidShouldMatchNabsValues() {
        assertEquals(MAX_TP, NabScorer.scaledSigmoid(-1.0), 1e-12);
        assertEquals(0.8482836399575131, NabScorer.scaledSigmoid(-0.5), 1e-12); // 2 * sigmoid(2.5) - 1
        assertEquals(0.0, NabScorer.scaledSigmoid(0.0), 1e-12);
        assertEquals(-MAX_TP, NabScorer.scaledSigmoid(1.0), 1e-12);
        assertEquals(-1.0, NabScorer.scaledSigmoid(3.0), 0);
    }

    @Test
    void probationShouldBeFifteenPercentCappedAt750Rows() {
        assertEquals(150, NabScorer.probationLength(1000));
        assertEquals(604, NabScorer.probationLength(4032));
        assertEquals(750, NabScorer.probationLength(15853));
    }

    @Test
    void aDetectionAtTheWindowsStartShouldScoreAsThePerfectDetector() {
        NabScorer.ProfileResult r = NabScorer.evaluate(List.of(file(400)), STANDARD);
        assertEquals(1.0, r.raw(), 1e-9, "tpWeight at the left edge");
        assertEquals(-1.0, r.nullScore(), 1e-12, "the null detector misses the window");
        assertEquals(1.0, r.perfectScore(), 0);
        assertEquals(100.0, r.normalized(), 1e-7);
        assertEquals(1.0, r.threshold());
    }

    @Test
    void aDetectionHalfWayShouldEarnTheSigmoidOfMinusAHalf() {
        // Row 450: relative position -(499 - 450 + 1) / 100 = -0.5.
        NabScorer.ProfileResult r = NabScorer.evaluate(List.of(file(450)), STANDARD);
        assertEquals(0.8482836399575131 / MAX_TP, r.raw(), 1e-12);
        assertEquals(100 * (0.8482836399575131 / MAX_TP + 1) / 2, r.normalized(), 1e-9);
    }

    @Test
    void aDetectionAtTheWindowsEndShouldEarnLittle() {
        // Row 499: relative position -1/100.
        double expected = (2 / (1 + Math.exp(-0.05)) - 1) / MAX_TP;
        assertEquals(expected, NabScorer.evaluate(List.of(file(499)), STANDARD).raw(), 1e-12);
    }

    @Test
    void falsePositivesShouldCostFpWeightBeforeAnyWindowAndLessJustAfterOne() {
        // Row 300 (before any window): -fpWeight. Row 600: position (600 - 499) / (100 - 1) after the window.
        double after = 2 / (1 + Math.exp(5 * 101.0 / 99.0)) - 1;
        NabScorer.FileResult r = NabScorer.scoreFile(file(400, 300, 600), STANDARD, 1.0);
        assertEquals(1.0 - 0.11 + 0.11 * after, r.score(), 1e-12);
        assertEquals(2, r.falsePositives());
        assertEquals(1, r.windowsDetected());
        assertEquals(1.0 - 0.22 + 0.22 * after, NabScorer.scoreFile(file(400, 300, 600), LOW_FP, 1.0).score(), 1e-12);
    }

    @Test
    void aMissedWindowShouldCostFnWeightAndTheSweepShouldPreferNotAlertingOverCostlyFalsePositives() {
        // Ten alerts before the window cost 1.1; missing it costs 1: the best threshold detects nothing.
        int[] rows = {200, 201, 202, 203, 204, 205, 206, 207, 208, 209};
        NabScorer.ProfileResult r = NabScorer.evaluate(List.of(file(rows)), STANDARD);
        assertEquals(-1.0, r.raw(), 1e-12);
        assertEquals(1.1, r.threshold());
        assertEquals(0.0, r.normalized(), 1e-12);
        assertEquals(-2.0, NabScorer.evaluate(List.of(file(rows)), LOW_FN).raw(), 1e-12, "reward_low_FN_rate: fnWeight 2");
    }

    @Test
    void detectionsInTheProbationaryPeriodShouldNotCount() {
        NabScorer.FileResult r = NabScorer.scoreFile(file(100, 400), STANDARD, 1.0);
        assertEquals(1.0, r.score(), 1e-9);
        assertEquals(0, r.falsePositives());
    }

    @Test
    void theSweepShouldPickOneThresholdForTheWholeCorpus() {
        // File a: window caught at 0.9; file b: a false positive at 0.95 and the window caught at 0.8.
        NabScorer.FileScores a = scored("a", new int[] {400}, new double[] {0.9});
        NabScorer.FileScores b = scored("b", new int[] {300, 450}, new double[] {0.95, 0.8});
        NabScorer.ProfileResult r = NabScorer.evaluate(List.of(a, b), STANDARD);
        assertEquals(0.8, r.threshold());
        assertEquals(1.0 + (-0.11 + 0.8482836399575131 / MAX_TP), r.raw(), 1e-12);
        assertEquals(-2.0, r.nullScore(), 1e-12);
        assertEquals(2.0, r.perfectScore(), 0);
    }

    @Test
    void aBinaryDetectorShouldBeScoredOnItsOwnDetectionsWithoutASweep() {
        // Ten false positives and a detection half-way through the window: scored as given, the false positives cost
        // 10 x 0.11 and the detection earns sigmoid(-0.5) scaled by the window's largest reward.
        int[] rows = {200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 450};
        NabScorer.ProfileResult fixed = NabScorer.evaluateAt(List.of(file(rows)), STANDARD, 1.0);
        assertEquals(-1.1 + 0.8482836399575131 / MAX_TP, fixed.raw(), 1e-12);
        assertEquals(1.0, fixed.threshold());
        assertEquals(-1.0, fixed.nullScore(), 1e-12, "the null detector is scored as NAB scores it");
        assertEquals(100 * (-1.1 + 0.8482836399575131 / MAX_TP + 1) / 2, fixed.normalized(), 1e-9);
        assertEquals(-2.2 + 0.8482836399575131 / MAX_TP, NabScorer.evaluateAt(List.of(file(rows)), LOW_FP, 1.0).raw(), 1e-12);
        // Every detection at score 1: the best the sweep can do is to keep them all, which is the fixed level's result.
        NabScorer.ProfileResult swept = NabScorer.evaluate(List.of(file(rows)), STANDARD);
        assertEquals(fixed.raw(), swept.raw(), 1e-12);
        // Detections at 0.6 are none at a fixed level of 0.7: the window is missed and no false positive is counted.
        NabScorer.FileScores low = scored("low", rows, java.util.Collections.nCopies(rows.length, 0.6).stream().mapToDouble(d -> d).toArray());
        assertEquals(-1.0, NabScorer.evaluateAt(List.of(low), STANDARD, 0.7).raw(), 1e-12);
    }

    @Test
    void aBinaryDetectorWithoutDetectionsInAFileShouldMissItsWindows() {
        NabScorer.FileScores none = scored("quiet", new int[0], new double[0]);
        NabScorer.FileScores hit = file(400);
        NabScorer.ProfileResult r = NabScorer.evaluateAt(List.of(none, hit), STANDARD, 1.0);
        assertEquals(-1.0 + 1.0, r.raw(), 1e-9, "the quiet file's window is missed, the other caught at its start");
        assertEquals(0, r.files().get(0).windowsDetected());
        assertEquals(1, r.files().get(1).windowsDetected());
    }

    private static NabScorer.FileScores file(int... alertRows) {
        double[] scores = new double[alertRows.length];
        java.util.Arrays.fill(scores, 1.0);
        return scored("f", alertRows, scores);
    }

    private static NabScorer.FileScores scored(String name, int[] rows, double[] values) {
        long[] t = new long[1000];
        double[] s = new double[1000];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1_400_000_000_000L + i * 300_000L;
        }
        for (int i = 0; i < rows.length; i++) {
            s[rows[i]] = values[i];
        }
        return new NabScorer.FileScores(name, t, s, List.of(new long[] {t[400], t[499]}));
    }
}
