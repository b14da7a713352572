package io.seismo.detect;

import java.util.Arrays;

/**
 * Complete state of a {@link Spot}, as a value: {@link Spot#snapshot()} and {@link Spot#restore} are exact.
 * Arrays are {@code float[]} because {@link Spot} keeps them as floats (the store and the Avro view walk
 * {@code Spot.fields}, which declares how each is kept). Arrays are copied in and out: the record is immutable.
 *
 * @param observations n: non-alarm values counted by the model, including the calibration set;
 *     0 until calibration completes (this is what marks a calibrated state)
 * @param calibration calibration values collected so far (drift-corrected), oldest first; empty once
 *     calibrated
 * @param initialThreshold t, the peak threshold (drift-corrected units)
 * @param peaks excesses over t, a ring of at most maxPeaks values
 * @param peakCount N_t: peaks seen in total, including those that left the ring
 * @param peakCursor next slot to write in the peaks ring
 * @param gamma GPD shape
 * @param sigma GPD scale
 * @param threshold z_q, the alarm threshold (drift-corrected units)
 * @param driftWindow DSPOT: raw recent non-alarm values, a ring of at most driftDepth values
 * @param driftCursor next slot to write in the drift ring
 * @param peakCutoffs for each slot of the peaks ring, the largest excess that could have been
 *     accepted as a peak when it was (z_q - t then; {@code Float.MAX_VALUE} for calibration peaks).
 *     May be empty: a state written without cutoffs restores with each peak assumed cut at the state's
 *     z_q - t.
 */
public record SpotState(
        long observations,
        float[] calibration,
        double initialThreshold,
        float[] peaks,
        long peakCount,
        int peakCursor,
        double gamma,
        double sigma,
        double threshold,
        float[] driftWindow,
        int driftCursor,
        float[] peakCutoffs) {

    /** The state of a Spot that has seen nothing. */
    public static final SpotState EMPTY =
            new SpotState(0L, new float[0], 0.0, new float[0], 0L, 0, 0.0, 0.0, 0.0, new float[0], 0, new float[0]);

    public SpotState {
        if (calibration == null || peaks == null || driftWindow == null || peakCutoffs == null) {
            throw new IllegalArgumentException("calibration, peaks, driftWindow and peakCutoffs must not be null (use empty arrays)");
        }
        if (peakCutoffs.length != 0 && peakCutoffs.length != peaks.length) {
            throw new IllegalArgumentException("peakCutoffs must be empty or as long as peaks (" + peaks.length + "), got " + peakCutoffs.length);
        }
        peakCutoffs = peakCutoffs.clone();
        calibration = calibration.clone();
        peaks = peaks.clone();
        driftWindow = driftWindow.clone();
        if (observations < 0 || peakCount < 0) {
            throw new IllegalArgumentException("observations and peakCount must be >= 0, got " + observations + ", " + peakCount);
        }
        if (peakCount > observations) {
            throw new IllegalArgumentException("peakCount (" + peakCount + ") cannot exceed observations (" + observations + ")");
        }
        if (peaks.length > peakCount) {
            throw new IllegalArgumentException("peaks holds " + peaks.length + " values but peakCount is " + peakCount);
        }
        if (observations > 0 && calibration.length > 0) {
            throw new IllegalArgumentException("a calibrated state (observations > 0) must have an empty calibration buffer");
        }
        if (peakCursor < 0 || peakCursor > peaks.length) {
            throw new IllegalArgumentException("peakCursor " + peakCursor + " out of range for " + peaks.length + " peaks");
        }
        if (driftCursor < 0 || driftCursor > driftWindow.length) {
            throw new IllegalArgumentException("driftCursor " + driftCursor + " out of range for a window of " + driftWindow.length);
        }
        for (double v : new double[] {initialThreshold, gamma, sigma, threshold}) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("t, gamma, sigma and threshold must be finite");
            }
        }
        if (sigma < 0.0) {
            throw new IllegalArgumentException("sigma must be >= 0, got " + sigma);
        }
    }

    @Override
    public float[] calibration() {
        return calibration.clone();
    }

    @Override
    public float[] peaks() {
        return peaks.clone();
    }

    @Override
    public float[] driftWindow() {
        return driftWindow.clone();
    }

    @Override
    public float[] peakCutoffs() {
        return peakCutoffs.clone();
    }

    /** Whether this state has finished calibration. */
    public boolean calibrated() {
        return observations > 0;
    }

    /** Values held in arrays; bounded by calibrationSize + 2 maxPeaks + driftDepth. */
    public int arrayValues() {
        return calibration.length + peaks.length + driftWindow.length + peakCutoffs.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpotState s
                && observations == s.observations
                && Arrays.equals(calibration, s.calibration)
                && Double.compare(initialThreshold, s.initialThreshold) == 0
                && Arrays.equals(peaks, s.peaks)
                && peakCount == s.peakCount
                && peakCursor == s.peakCursor
                && Double.compare(gamma, s.gamma) == 0
                && Double.compare(sigma, s.sigma) == 0
                && Double.compare(threshold, s.threshold) == 0
                && Arrays.equals(driftWindow, s.driftWindow)
                && driftCursor == s.driftCursor
                && Arrays.equals(peakCutoffs, s.peakCutoffs);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(observations);
        h = 31 * h + Arrays.hashCode(calibration);
        h = 31 * h + Double.hashCode(initialThreshold);
        h = 31 * h + Arrays.hashCode(peaks);
        h = 31 * h + Long.hashCode(peakCount);
        h = 31 * h + peakCursor;
        h = 31 * h + Double.hashCode(gamma);
        h = 31 * h + Double.hashCode(sigma);
        h = 31 * h + Double.hashCode(threshold);
        h = 31 * h + Arrays.hashCode(driftWindow);
        h = 31 * h + driftCursor;
        return 31 * h + Arrays.hashCode(peakCutoffs);
    }

    @Override
    public String toString() {
        return "SpotState[observations=" + observations + ", calibration=" + calibration.length + " values, t=" + initialThreshold
                + ", peaks=" + peaks.length + " values, peakCount=" + peakCount + ", peakCursor=" + peakCursor
                + ", gamma=" + gamma + ", sigma=" + sigma + ", threshold=" + threshold
                + ", driftWindow=" + Arrays.toString(driftWindow) + ", driftCursor=" + driftCursor + "]";
    }
}
