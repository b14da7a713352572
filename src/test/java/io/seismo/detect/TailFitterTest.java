package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TailFitterTest {

    private static final double NO_PREVIOUS_FIT = 0.0;

    /** A GPD draw by inversion: {@code sigma/gamma (U^-gamma - 1)}, or {@code -sigma ln U} at gamma = 0. */
    private static double gpd(Random r, double gamma, double sigma) {
        double u = 1.0 - r.nextDouble();
        return gamma == 0.0 ? -sigma * Math.log(u) : sigma / gamma * (Math.pow(u, -gamma) - 1.0);
    }

    private static float[] gpdSample(long seed, int size, double gamma, double sigma) {
        Random r = new Random(seed);
        float[] peaks = new float[size];
        for (int i = 0; i < size; i++) {
            peaks[i] = (float) gpd(r, gamma, sigma);
        }
        return peaks;
    }

    private static float[] untruncated(int size) {
        float[] cutoffs = new float[size];
        Arrays.fill(cutoffs, TailFitter.UNTRUNCATED);
        return cutoffs;
    }

    private static TailFitter fitted(double minShape, float[] peaks, float[] cutoffs) {
        TailFitter fitter = new TailFitter(minShape);
        fitter.fit(peaks, cutoffs, peaks.length, 0.0, NO_PREVIOUS_FIT);
        return fitter;
    }

    @Test
    void shouldRecoverTheShapeAndScaleOfAHeavyTail() {
        // Standard errors at 2,000 peaks: about 0.03 on gamma and 3.5% on sigma; an exponential fit is 0.25 off.
        float[] peaks = gpdSample(11, 2_000, 0.25, 2.0);
        TailFitter fitter = fitted(SpotConfig.LOWEST_SHAPE, peaks, untruncated(peaks.length));
        assertEquals(0.25, fitter.gamma(), 0.1, "gamma");
        assertEquals(2.0, fitter.sigma(), 0.2, "sigma");
    }

    @Test
    void shouldRecoverTheShapeAndScaleOfAShortTail() {
        float[] peaks = gpdSample(12, 2_000, -0.2, 1.0);
        TailFitter fitter = fitted(SpotConfig.LOWEST_SHAPE, peaks, untruncated(peaks.length));
        assertEquals(-0.2, fitter.gamma(), 0.1, "gamma");
        assertEquals(1.0, fitter.sigma(), 0.1, "sigma");
    }

    @Test
    void shouldFitFewPeaksAsAnExponentialTailWithTheirMeanAsScale() {
        // Untruncated, the exponential tail's maximum-likelihood scale is the mean excess.
        float[] peaks = gpdSample(13, TailFitter.MIN_PEAKS_FOR_SHAPE - 1, 0.3, 1.5);
        TailFitter fitter = fitted(SpotConfig.LOWEST_SHAPE, peaks, untruncated(peaks.length));
        double mean = 0.0;
        for (float p : peaks) {
            mean += p;
        }
        mean /= peaks.length;
        assertEquals(0.0, fitter.gamma());
        assertEquals(mean, fitter.sigma(), 1e-6 * mean);
        assertEquals(mean, fitter.meanExcess(), 1e-12 * mean);
    }

    @Test
    void shouldRecoverAnExponentialTailFromPeaksCutAtTheirThresholds() {
        // Each draw above its cutoff is an alarm and never a peak, as in Spot; fitted as if uncut, the same peaks
        // make a shorter tail, and z_q sinks.
        Random r = new Random(14);
        float[] peaks = new float[2_000];
        float[] cutoffs = new float[peaks.length];
        for (int kept = 0; kept < peaks.length; ) {
            float cutoff = (float) (2.5 + 2.5 * r.nextDouble());
            float excess = (float) gpd(r, 0.0, 1.0);
            if (excess <= cutoff) {
                peaks[kept] = excess;
                cutoffs[kept] = cutoff;
                kept++;
            }
        }
        TailFitter aware = fitted(SpotConfig.LOWEST_SHAPE, peaks, cutoffs);
        assertEquals(0.0, aware.gamma(), 0.1, "gamma");
        assertEquals(1.0, aware.sigma(), 0.1, "sigma");

        TailFitter unaware = fitted(SpotConfig.LOWEST_SHAPE, peaks, untruncated(peaks.length));
        assertTrue(unaware.gamma() < aware.gamma() - 0.1, "uncut fit's gamma " + unaware.gamma() + " vs " + aware.gamma());
    }

    @Test
    void shouldKeepTheShapeAtOrAboveTheFloor() {
        float[] peaks = gpdSample(15, 500, -0.3, 1.0);
        TailFitter fitter = fitted(0.0, peaks, untruncated(peaks.length));
        assertTrue(fitter.gamma() >= 0.0, "gamma " + fitter.gamma());
    }

    @Test
    void shouldStartFromThePreviousFitAndLandNearTheColdFit() {
        float[] peaks = gpdSample(16, 128, 0.1, 1.0);
        float[] cutoffs = untruncated(peaks.length);
        TailFitter cold = fitted(SpotConfig.LOWEST_SHAPE, peaks, cutoffs);
        TailFitter warm = new TailFitter(SpotConfig.LOWEST_SHAPE);
        warm.fit(peaks, cutoffs, peaks.length, cold.gamma() + 0.05, cold.sigma() * 1.05);
        assertEquals(cold.gamma(), warm.gamma(), 0.01, "gamma");
        assertEquals(cold.sigma(), warm.sigma(), 0.01 * cold.sigma(), "sigma");
    }

    @Test
    void shouldFitOnlyTheFirstSizePeaksLeaveTheArraysAloneAndCarryNothingToTheNextFit() {
        float[] peaks = gpdSample(17, 300, 0.2, 1.0);
        float[] cutoffs = untruncated(peaks.length);
        float[] peaksBefore = peaks.clone();
        float[] cutoffsBefore = cutoffs.clone();
        TailFitter fitter = new TailFitter(SpotConfig.LOWEST_SHAPE);

        fitter.fit(peaks, cutoffs, 200, 0.0, NO_PREVIOUS_FIT);
        double gamma = fitter.gamma();
        double sigma = fitter.sigma();
        fitter.fit(gpdSample(18, 50, -0.1, 3.0), untruncated(50), 50, 0.0, NO_PREVIOUS_FIT);
        fitter.fit(peaks, cutoffs, 200, 0.0, NO_PREVIOUS_FIT);

        assertEquals(gamma, fitter.gamma());
        assertEquals(sigma, fitter.sigma());
        TailFitter onFirst200 = fitted(SpotConfig.LOWEST_SHAPE, Arrays.copyOf(peaks, 200), Arrays.copyOf(cutoffs, 200));
        assertEquals(gamma, onFirst200.gamma());
        assertEquals(sigma, onFirst200.sigma());
        assertArrayEquals(peaksBefore, peaks);
        assertArrayEquals(cutoffsBefore, cutoffs);
    }
}
