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
        Severity previous = Severity.LOW;
        for (double score = 0.5; score < 0.999; score += 0.001) {
            Severity severity = Severity.ofScore(score);
            assertTrue(severity.compareTo(previous) >= 0, "severity at score " + score);
            previous = severity;
        }
        assertEquals(Severity.CRITICAL, previous, "the highest scores are critical");
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
        assertEquals(AnomalyLikelihood.EXTREME / (AnomalyLikelihood.EXTREME + AnomalyLikelihood.RED), v.score(), 1e-12);
    }

    @Test
    void shouldOpenAnEpisodeWhenTheDailyShapeChangesThoughEachStepIsPredictable() {
        // Every 5 minutes a smooth daily wave; from day 12 on the day stays at the night level. The last value predicts
        // each next one well throughout, so only the time-of-day profile sees it.
        long step = 5 * STEP;
        SeriesState s = detector.newState();
        Random noise = new Random(25);
        Verdict first = null;
        int perDay = 288;
        for (int i = 0; i < 16 * perDay && first == null; i++) {
            double phase = 2 * Math.PI * (i % perDay) / perDay;
            double day = 10 * Math.max(0, Math.sin(phase));
            double x = 20 + (i >= 12 * perDay ? 0 : day) + 0.05 * noise.nextGaussian();
            Verdict v = detector.advance(s, i * step, x, null);
            if (v.anomalous()) {
                assertTrue(i >= 12 * perDay, "no alert before the change, reading " + i + ": " + v);
                first = v;
            }
        }
        assertTrue(first != null, "the changed day alerts");
        assertEquals(Reason.DAILY_PROFILE, first.reason());
        assertEquals(EpisodeTransition.OPENED, first.transition());
    }
}
