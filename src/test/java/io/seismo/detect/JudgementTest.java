package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The one judgement per reading: the alert, the episode, the severity and the reason all follow from the score. */
class JudgementTest {
    private static final long STEP = 60_000;
    private final SeriesDetector detector = new SeriesDetector(new DetectorSettings(30, 2000, 0.5, 1.0,
            new SpotConfig(1e-4, 200, 0.98, 128, 0, 0.0), 5, 64, 12));

    private static double wave(int i, Random noise) {
        return 50 + 5 * Math.sin(2 * Math.PI * i / 40) + 0.1 * noise.nextGaussian();
    }

    /** A run of a wave with a spike, a dip, a stuck spell and noise bursts: readings of every kind of judgement. */
    private List<Verdict> eventfulRun() {
        SeriesState s = detector.newState();
        Random noise = new Random(21);
        List<Verdict> verdicts = new ArrayList<>();
        double frozen = 0;
        for (int i = 0; i < 4000; i++) {
            double x = wave(i, noise);
            if (i == 1500) {
                x += 12;
            } else if (i == 2000) {
                x -= 9;
            } else if (i >= 2500 && i < 2540) {
                if (i == 2500) {
                    frozen = x;
                }
                x = frozen;
            } else if (i >= 3000 && i < 3030) {
                x += 1.5 * noise.nextGaussian();
            }
            Verdict v = detector.advance(s, i * STEP, x, null);
            if (v.scored()) {
                verdicts.add(v);
            }
        }
        return verdicts;
    }

    @Test
    void shouldAlertExactlyWhenTheScoreReachesOneHalf() {
        List<Verdict> verdicts = eventfulRun();
        int alerts = 0;
        for (Verdict v : verdicts) {
            assertEquals(v.score() >= 0.5, v.anomalous(), "score " + v.score() + " of " + v);
            assertEquals(v.anomalous(), v.reason() != Reason.NONE, "a reason is given exactly for an anomalous reading: " + v);
            assertTrue(v.score() >= 0 && v.score() < 1, "score in [0, 1): " + v.score());
            alerts += v.anomalous() ? 1 : 0;
        }
        assertTrue(alerts > 3, alerts + " anomalous readings");
        assertTrue(alerts < verdicts.size() / 20, alerts + " anomalous readings of " + verdicts.size());
    }

    @Test
    void shouldGrowSeverityWithTheScore() {
        List<Verdict> anomalous = new ArrayList<>(eventfulRun().stream().filter(Verdict::anomalous).toList());
        anomalous.sort(Comparator.comparingDouble(Verdict::score));
        for (int k = 1; k < anomalous.size(); k++) {
            assertTrue(anomalous.get(k).severity().compareTo(anomalous.get(k - 1).severity()) >= 0,
                    "a higher score never has a lower severity: " + anomalous.get(k - 1) + " then " + anomalous.get(k));
        }
        SeverityBand previous = SeverityBand.LOW;
        for (double score = 0.5; score < 0.999; score += 0.001) {
            SeverityBand severity = SeverityBand.ofScore(score);
            assertTrue(severity.compareTo(previous) >= 0, "severity at score " + score);
            previous = severity;
        }
        assertEquals(SeverityBand.CRITICAL, previous, "the highest scores are critical");
    }

    /** A series that has followed the wave for its first {@code readings} readings without an alert. */
    private record Learned(SeriesState state, Random noise, int next) {
    }

    private Learned learnedWave(long seed, int readings) {
        SeriesState s = detector.newState();
        Random noise = new Random(seed);
        for (int i = 0; i < readings; i++) {
            assertFalse(detector.advance(s, i * STEP, wave(i, noise), null).anomalous(), "reading " + i);
        }
        return new Learned(s, noise, readings);
    }

    @Test
    void shouldOpenAnEpisodeOnAPredictionError() {
        Learned l = learnedWave(22, 1500);
        SeriesState s = l.state();
        Random noise = l.noise();
        int i = l.next();
        // Inside the range the series has shown, but far from the value expected next.
        double expected = wave(i, noise);
        Verdict v = detector.advance(s, i * STEP, expected > 50 ? 46 : 54, null);
        assertEquals(EpisodeTransition.OPENED, v.transition(), v.toString());
        assertEquals(Reason.PREDICTION_ERROR, v.reason());
    }

    @Test
    void shouldOpenAnEpisodeOnAStuckSensor() {
        Learned l = learnedWave(23, 1500);
        SeriesState s = l.state();
        Random noise = l.noise();
        int i = l.next();
        double frozen = wave(i, noise);
        Verdict first = null;
        for (int k = 0; k < 30 && first == null; k++, i++) {
            Verdict v = detector.advance(s, i * STEP, frozen, null);
            if (v.anomalous()) {
                first = v;
            }
        }
        assertTrue(first != null, "a frozen reading in a varying series alerts");
        assertEquals(EpisodeTransition.OPENED, first.transition());
        assertEquals(Reason.STUCK_SENSOR, first.reason());
    }

    @Test
    void shouldOpenAnEpisodeOnAValueOutsideTheRangeWhoseErrorIsUnusual() {
        // A noisy level: the last value predicts the next one poorly, so a step just past the range is a modest error.
        SeriesState s = detector.newState();
        Random noise = new Random(24);
        int i = 0;
        double highest = Double.NEGATIVE_INFINITY;
        for (; i < 3000; i++) {
            double x = 50 + noise.nextGaussian();
            highest = Math.max(highest, x);
            assertFalse(detector.advance(s, i * STEP, x, null).anomalous(), "reading " + i);
        }
        Verdict v = detector.advance(s, i * STEP, highest + 3, null);
        assertEquals(Reason.OUT_OF_RANGE, v.reason(), v.toString());
        assertEquals(EpisodeTransition.OPENED, v.transition());
        // A record after n readings has a level of at least log10(n / 2), plus the error's own.
        double level = 5 * v.score() / (1 - v.score());
        assertTrue(level > Math.log10(3000 / 2.0), "level " + level);
    }

    @Test
    void shouldAskMoreOfAnEarlyRecordThanOfALateOne() {
        // The same step past the range, with the same error, is a record that an exchangeable series sets with
        // probability 2/n: after 300 readings it is common, after 30,000 it is not.
        double early = recordScore(300);
        double late = recordScore(30_000);
        assertTrue(late > early, "late " + late + ", early " + early);
    }

    private double recordScore(int readings) {
        SeriesState s = detector.newState();
        Random noise = new Random(26);
        double highest = Double.NEGATIVE_INFINITY;
        double lowest = Double.POSITIVE_INFINITY;
        int i = 0;
        for (; i < readings; i++) {
            double x = 50 + noise.nextGaussian();
            highest = Math.max(highest, x);
            lowest = Math.min(lowest, x);
            detector.advance(s, i * STEP, x, null);
        }
        // Always the same distance past the range, relative to it.
        Verdict v = detector.advance(s, i * STEP, highest + 0.2 * (highest - lowest), null);
        assertEquals(Reason.OUT_OF_RANGE, v.reason() == Reason.NONE ? Reason.OUT_OF_RANGE : v.reason());
        return v.score();
    }

    /** A slow wave (a 400-reading period): the baseline forecaster, the last value, predicts it well. */
    private static double slowWave(int i, Random noise) {
        return 50 + 5 * Math.sin(2 * Math.PI * i / 400) + 0.1 * noise.nextGaussian();
    }

    /** A series that has followed the slow wave for 1,500 readings, and a shift of 3 away from the wave's centre there. */
    private record SlowWave(SeriesState state, Random noise, int next, double shift) {
    }

    private SlowWave learnedSlowWave(long seed) {
        SeriesState s = detector.newState();
        Random noise = new Random(seed);
        int i = 0;
        for (; i < 1500; i++) {
            assertFalse(detector.advance(s, i * STEP, slowWave(i, noise), null).anomalous(), "reading " + i);
        }
        return new SlowWave(s, noise, i, slowWave(i, new Random(0)) >= 50 ? 3 : -3);
    }

    @Test
    void shouldKeepOneEpisodeOpenThroughASustainedLevelShiftAndCloseItWhenTheSeriesReturns() {
        SlowWave w = learnedSlowWave(27);
        SeriesState s = w.state();
        Random noise = w.noise();
        int i = w.next();
        double shift = w.shift();
        int opened = 0;
        // The wave, 3 further from its centre (far beyond its noise, inside its range) for 50 readings: one episode, open
        // throughout, judged against the wave the series would have followed.
        for (int k = 0; k < 50; k++, i++) {
            double normal = slowWave(i, noise);
            Verdict v = detector.advance(s, i * STEP, normal + shift, null);
            opened += v.transition() == EpisodeTransition.OPENED ? 1 : 0;
            assertTrue(s.inEpisode(), "the episode is open at reading " + k + " of the shift: " + v);
            assertTrue(Math.abs(v.expected() - normal) < 1, "the expected value stays on the normal wave: " + v);
        }
        assertEquals(1, opened, "one episode for the whole shift");
        // Back to normal: the episode closes after the readings that close it, and nothing opens again.
        int closedAfter = -1;
        for (int k = 0; k < 200; k++, i++) {
            Verdict v = detector.advance(s, i * STEP, slowWave(i, noise), null);
            assertFalse(v.transition() == EpisodeTransition.OPENED, "no new episode after the return: " + v);
            if (v.transition() == EpisodeTransition.CLOSED) {
                closedAfter = k;
            }
        }
        // The recent errors' level lingers for the likelihood's window, then the closing run of normal readings ends it.
        assertTrue(closedAfter >= 0 && closedAfter < AnomalyLikelihood.WINDOW + 10, "closed " + closedAfter + " readings after the return");
    }

    @Test
    void shouldTakeAChangeThatOutlastsTheWindowAsTheNewNormal() {
        SlowWave w = learnedSlowWave(28);
        SeriesState s = w.state();
        int i = w.next();
        int opened = 0;
        int closedAt = -1;
        // The wave moves 3 away from its centre for good: held for at most the window (64 readings), then learned as normal.
        for (int k = 0; k < 400; k++, i++) {
            Verdict v = detector.advance(s, i * STEP, slowWave(i, w.noise()) + w.shift(), null);
            opened += v.transition() == EpisodeTransition.OPENED ? 1 : 0;
            if (v.transition() == EpisodeTransition.CLOSED) {
                closedAt = k;
            }
        }
        assertEquals(1, opened, "one episode");
        assertTrue(closedAt >= 64 && closedAt < 64 + 30, "the episode closes once the change has outlasted the window: " + closedAt);
        assertFalse(s.inEpisode());
    }
}
