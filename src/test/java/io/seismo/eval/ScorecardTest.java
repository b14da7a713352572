package io.seismo.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seismo.eval.Scorecard.Detection;
import io.seismo.sim.AnomalyKind;
import io.seismo.sim.InjectedAnomaly;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorecardTest {

    private static final String A = "sensor-000-seasonal";
    private static final String B = "sensor-001-trending";

    private static final InjectedAnomaly SPIKE_A = new InjectedAnomaly(A, AnomalyKind.SPIKE, 100, 100);
    private static final InjectedAnomaly SHIFT_A =
            new InjectedAnomaly(A, AnomalyKind.LEVEL_SHIFT, 500, 800);
    private static final InjectedAnomaly STUCK_B = new InjectedAnomaly(B, AnomalyKind.STUCK, 200, 300);
    private static final InjectedAnomaly LATE_B = new InjectedAnomaly(B, AnomalyKind.DIP, 5000, 5000);

    private static final List<InjectedAnomaly> LABELS = List.of(SPIKE_A, SHIFT_A, STUCK_B, LATE_B);

    @Test
    void countsTruePositivesFalsePositivesCaughtAndMissed() {
        List<Detection> detections =
                List.of(
                        new Detection(A, 100), // catches the spike
                        new Detection(A, 140), // within tolerance after the spike: true positive
                        new Detection(A, 151), // just beyond tolerance: false positive
                        new Detection(B, 100), // matches no label of B: false positive
                        new Detection(B, 600)); // B's stuck stretch ended at 300 (+50): false positive
        Scorecard card = Scorecard.evaluate(LABELS, detections, 50, 1000);

        assertEquals(2, card.truePositives());
        assertEquals(3, card.falsePositives());
        assertEquals(1, card.caught());
        assertEquals(2, card.missed(), "level shift and stuck sensor missed; late dip not judged");
        assertEquals(List.of(SPIKE_A), card.caughtLabels());
        assertEquals(List.of(SHIFT_A, STUCK_B), card.missedLabels());
        assertEquals(0.4, card.precision(), 1e-9);
        assertEquals(1.0 / 3, card.recall(), 1e-9);
        assertEquals(2 * 0.4 / 3 / (0.4 + 1.0 / 3), card.f1(), 1e-9);
    }

    @Test
    void aDetectionOnAnotherSeriesDoesNotCatchALabel() {
        Scorecard card = Scorecard.evaluate(List.of(STUCK_B), List.of(new Detection(A, 250)), 0, 1000);
        assertEquals(0, card.caught());
        assertEquals(1, card.falsePositives());
    }

    @Test
    void toleranceExtendsTheWindowAfterTheEndButNotBeforeTheStart() {
        List<InjectedAnomaly> labels = List.of(STUCK_B);
        assertEquals(0, Scorecard.evaluate(labels, List.of(new Detection(B, 199)), 100, 1000).caught());
        assertEquals(1, Scorecard.evaluate(labels, List.of(new Detection(B, 400)), 100, 1000).caught());
        assertEquals(0, Scorecard.evaluate(labels, List.of(new Detection(B, 400)), 99, 1000).caught());
    }

    @Test
    void labelsBeyondTheHorizonAreIgnoredAndSoAreDetectionsInsideThem() {
        Scorecard card =
                Scorecard.evaluate(LABELS, List.of(new Detection(B, 5000), new Detection(A, 100)), 0, 1000);
        assertEquals(1, card.truePositives());
        assertEquals(0, card.falsePositives());
        assertEquals(1, card.ignoredDetections());
        assertEquals(3, card.caught() + card.missed());
    }

    @Test
    void perKindReportsCaughtAndTotalForEveryKind() {
        Scorecard card = Scorecard.evaluate(LABELS, List.of(new Detection(A, 600)), 0, 1000);
        Map<AnomalyKind, int[]> perKind = card.perKind();
        assertEquals(AnomalyKind.values().length, perKind.size());
        assertArrayEquals(new int[] {1, 1}, perKind.get(AnomalyKind.LEVEL_SHIFT));
        assertArrayEquals(new int[] {0, 1}, perKind.get(AnomalyKind.SPIKE));
        assertArrayEquals(new int[] {0, 1}, perKind.get(AnomalyKind.STUCK));
        assertArrayEquals(new int[] {0, 0}, perKind.get(AnomalyKind.DIP), "late dip is not judged");
    }

    @Test
    void precisionAndRecallAreUndefinedWithoutDetectionsOrLabels() {
        Scorecard card = Scorecard.evaluate(List.of(), List.of(), 0, 1000);
        assertTrue(Double.isNaN(card.precision()));
        assertTrue(Double.isNaN(card.recall()));
    }

    @Test
    void formatShowsTotalsAndOneRowPerKind() {
        String table = Scorecard.evaluate(LABELS, List.of(new Detection(A, 100)), 0, 1000).format();
        assertTrue(table.contains("precision 1.000  recall 0.333"), table);
        assertTrue(table.contains("SPIKE"), table);
        assertTrue(table.contains("TREND_CHANGE"), table);
        assertTrue(table.lines().count() >= 4 + AnomalyKind.values().length, table);
    }

    @Test
    void verdictsFollowTheOrderOfTheDetectionsGiven() {
        Scorecard card =
                Scorecard.evaluate(
                        LABELS,
                        List.of(new Detection(B, 250), new Detection(A, 100), new Detection(B, 5000), new Detection(A, 151)),
                        50,
                        1000);
        assertEquals(AlertMatcher.Verdict.TRUE_POSITIVE, card.verdict(0));
        assertEquals(AlertMatcher.Verdict.TRUE_POSITIVE, card.verdict(1));
        assertEquals(AlertMatcher.Verdict.IGNORED, card.verdict(2));
        assertEquals(AlertMatcher.Verdict.FALSE_POSITIVE, card.verdict(3));
        assertEquals(new AlertMatcher.Tally(3, 2, 2, 1, 1), card.tally());
    }

    @Test
    void labelOfFindsTheFirstLabelOfTheSeriesWhoseWindowHoldsTheDetection() {
        assertEquals(SPIKE_A, Scorecard.labelOf(LABELS, new Detection(A, 140), 50).orElseThrow());
        assertTrue(Scorecard.labelOf(LABELS, new Detection(A, 151), 50).isEmpty(), "beyond the tolerance");
        assertTrue(Scorecard.labelOf(LABELS, new Detection(B, 100), 50).isEmpty(), "the spike is A's, not B's");
    }
}
