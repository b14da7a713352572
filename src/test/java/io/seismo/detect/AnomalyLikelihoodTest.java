package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class AnomalyLikelihoodTest {
    private static final long MINUTE = 60_000;

    /** Scores a reading and learns it as normal, as the detector does outside a held episode. */
    private static double step(AnomalyLikelihood l, double error, double value, long timestamp) {
        double level = l.level(error, value, timestamp);
        l.learn(value, timestamp, false);
        return level;
    }

    /** Q(z) by Simpson's rule on the normal density from z to z + 40: a slow, plain reference. */
    private static double naiveUpperTail(double z) {
        int n = 400_000;
        double h = 40.0 / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double x = z + i * h;
            double f = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3;
    }

    @Test
    void shouldGiveKnownNormalTailProbabilities() {
        double[][] known = {{0, 0.5}, {1, 0.15865525393145707}, {-2, 0.9772498680518208}, {3, 1.3498980316301e-3},
                {5, 2.866515718791939e-7}, {10, 7.619853024160527e-24}};
        for (double[] k : known) {
            assertEquals(Math.log10(k[1]), AnomalyLikelihood.log10UpperTail(k[0]), 1e-6 * Math.max(1, -Math.log10(k[1])), "z = " + k[0]);
        }
    }

    @Test
    void shouldAgreeWithNumericalIntegrationAtRandomPoints() {
        Random random = new Random(11);
        for (int i = 0; i < 20; i++) {
            double z = -4 + 12 * random.nextDouble();
            double reference = naiveUpperTail(z);
            double tail = Math.pow(10, AnomalyLikelihood.log10UpperTail(z));
            assertEquals(reference, tail, 2e-7 * reference, "z = " + z);
        }
    }

    @Test
    void shouldFollowTheAsymptoticSeriesFarIntoTheTailWithoutUnderflow() {
        for (double z : new double[] {20, 40, 100, 1e4}) {
            double lnQ = -z * z / 2 - Math.log(z * Math.sqrt(2 * Math.PI)) + Math.log(1 - 1 / (z * z) + 3 / Math.pow(z, 4) - 15 / Math.pow(z, 6));
            double expected = lnQ / Math.log(10);
            double actual = AnomalyLikelihood.log10UpperTail(z);
            assertTrue(Double.isFinite(actual), "z = " + z);
            assertEquals(expected, actual, 1e-6 * Math.abs(expected), "z = " + z);
        }
    }

    @Test
    void shouldDecreaseStrictlyWithZ() {
        double previous = AnomalyLikelihood.log10UpperTail(-5);
        for (double z = -4.95; z < 60; z += 0.05) {
            double next = AnomalyLikelihood.log10UpperTail(z);
            assertTrue(next < previous, "z = " + z);
            previous = next;
        }
    }

    @Test
    void shouldScoreHalfAtTheAlarmLevelAndNeverReachOne() {
        assertEquals(0, AnomalyLikelihood.score(0), 0.0);
        assertEquals(0.5, AnomalyLikelihood.score(AnomalyLikelihood.RED), 1e-15);
        assertTrue(AnomalyLikelihood.score(3) < 0.5);
        assertTrue(AnomalyLikelihood.score(1e6) < 1);
        assertTrue(AnomalyLikelihood.score(1e6) > AnomalyLikelihood.score(1e5));
    }

    @Test
    void shouldReportNothingWhileLearningAndRarelyAlarmOnSteadyErrors() {
        AnomalyLikelihood l = new AnomalyLikelihood();
        Random random = new Random(5);
        int alarms = 0;
        for (int i = 0; i < 20_000; i++) {
            double level = step(l, Math.abs(random.nextGaussian()), 0, i * MINUTE);
            if (i < AnomalyLikelihood.LEARNING) {
                assertEquals(0, level, 0.0, "reading " + i);
            }
            alarms += level >= AnomalyLikelihood.RED ? 1 : 0;
        }
        assertTrue(alarms <= 2, alarms + " alarms on 20,000 steady errors");
    }

    @Test
    void shouldAlarmOnABurstButNotOnALoneError() {
        AnomalyLikelihood l = new AnomalyLikelihood();
        Random random = new Random(6);
        for (int i = 0; i < 3000; i++) {
            step(l, Math.abs(random.nextGaussian()), 0, i * MINUTE);
        }
        // One large error among ten barely moves the short-term level; a few in a row do.
        double single = step(l, 40, 0, 0);
        assertTrue(single > 1 && single < AnomalyLikelihood.RED, "level of a lone error " + single);
        double first = step(l, 40, 0, 0);
        assertTrue(first >= AnomalyLikelihood.RED, "level of the burst's second reading " + first);
        double second = step(l, 40, 0, 0);
        assertTrue(second > first, "the burst's level keeps rising while it lasts: " + first + " then " + second);
        assertEquals(second, l.lastErrorLevel(), 0.0, "the error channel's part is the level (no daily bin known)");
        // A huge error (heavy tail) gives a finite, larger level rather than an underflowed probability.
        AnomalyLikelihood fresh = AnomalyLikelihood.restore(l.snapshot());
        double huge = step(fresh, 1e12, 0, 0);
        assertTrue(Double.isFinite(huge) && huge > second, "level of a huge error " + huge);
    }

    @Test
    void shouldAlarmWhenTheDailyShapeChangesThoughThePredictionErrorsStayNormal() {
        // Every 5 minutes a daily wave, high by day and low by night; from day 12 on the day stays at the night level.
        // The errors fed are ordinary throughout (a next-value predictor follows the flat day at once).
        AnomalyLikelihood l = new AnomalyLikelihood();
        Random random = new Random(8);
        int perDay = 288;
        double before = 0;
        double after = 0;
        for (int i = 0; i < 13 * perDay; i++) {
            long t = i * 5 * MINUTE;
            double phase = 2 * Math.PI * (i % perDay) / perDay;
            boolean changed = i >= 12 * perDay;
            double value = (changed ? 0 : 10 * Math.max(0, Math.sin(phase))) + 0.2 * random.nextGaussian();
            double level = step(l, Math.abs(0.2 * random.nextGaussian()), value, t);
            l.include(value, i);
            if (i >= 2 * perDay && !changed) {
                before = Math.max(before, level);
            } else if (changed) {
                after = Math.max(after, level);
            }
        }
        assertTrue(before < AnomalyLikelihood.RED, "days of the usual shape reach " + before);
        assertTrue(after >= AnomalyLikelihood.EXTREME, "the changed day reaches " + after);
    }

    @Test
    void shouldRefuseAStateOfTheWrongShape() {
        LikelihoodState e = LikelihoodState.empty();
        assertThrows(IllegalArgumentException.class, () -> AnomalyLikelihood.restore(new LikelihoodState(new float[3], 0, 0, 0,
                0, 0, e.recentDaily(), 0, 0, 0, e.binMeans(), e.binVariances(), e.binCounts())));
        assertThrows(IllegalArgumentException.class, () -> AnomalyLikelihood.restore(new LikelihoodState(e.recentErrors(), 0, 0, 0,
                0, 0, e.recentDaily(), 0, 0, 0, e.binMeans(), e.binVariances(), new byte[47])));
    }

    @Test
    void shouldFlagValuesOutsideTheSeenRangeOnlyAfterLearning() {
        AnomalyLikelihood l = new AnomalyLikelihood();
        for (int i = 0; i <= AnomalyLikelihood.LEARNING; i++) {
            assertFalse(l.outsideRange(i % 2 == 0 ? 1e9 : -1e9, i), "reading " + i);
            l.include(10 + (i % 11), i); // range 10..20
        }
        long readings = AnomalyLikelihood.LEARNING + 1;
        assertFalse(l.outsideRange(20.4, readings), "within 5% of the range");
        assertTrue(l.outsideRange(20.6, readings));
        assertTrue(l.outsideRange(9.4, readings));
        assertFalse(l.outsideRange(9.6, readings));
    }

    @Test
    void shouldContinueIdenticallyAfterASnapshotAndRestore() {
        AnomalyLikelihood a = new AnomalyLikelihood();
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            double v = random.nextGaussian();
            a.level(Math.abs(random.nextGaussian()) * (i % 97 == 0 ? 30 : 1), v, i * 5 * MINUTE);
            a.include(v, i);
        }
        AnomalyLikelihood b = AnomalyLikelihood.restore(a.snapshot());
        for (int i = 0; i < 500; i++) {
            double e = Math.abs(random.nextGaussian()) * (i % 89 == 0 ? 30 : 1);
            double v = random.nextGaussian();
            long t = (500 + i) * 5 * MINUTE;
            assertEquals(a.level(e, v, t), b.level(e, v, t), 0.0, "step " + i);
            a.include(v, 500 + i);
            b.include(v, 500 + i);
        }
        LikelihoodState sa = a.snapshot();
        LikelihoodState sb = b.snapshot();
        assertArrayEquals(sa.recentErrors(), sb.recentErrors(), 0.0f);
        assertArrayEquals(sa.binMeans(), sb.binMeans(), 0.0f);
        assertArrayEquals(sa.binCounts(), sb.binCounts());
        assertEquals(sa.mean(), sb.mean(), 0.0);
        assertEquals(sa.variance(), sb.variance(), 0.0);
    }
}
