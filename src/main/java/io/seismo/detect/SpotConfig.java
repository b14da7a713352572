package io.seismo.detect;

/**
 * Settings of a {@link Spot}.
 *
 * @param risk q, the probability of a normal value exceeding the alarm threshold z_q
 * @param calibrationSize values collected before the first threshold (n in the paper)
 * @param initialQuantile level of the empirical quantile used as the peak threshold t
 * @param maxPeaks how many of the most recent peaks are kept for fitting (bounded memory)
 * @param driftDepth DSPOT window d: values are taken relative to the mean of the last d non-alarm
 *     values; 0 is plain SPOT
 */
public record SpotConfig(double risk, int calibrationSize, double initialQuantile, int maxPeaks, int driftDepth,
                         double minShape) {

    /** Recommended defaults for smoothed prediction errors: plain SPOT, q = 1e-3. */
    public static final SpotConfig DEFAULT = new SpotConfig(1e-3, 150, 0.98, 256, 0);

    /** The lowest GPD shape the paper's fit allows here; below -0.5 the likelihood is irregular. */
    public static final double LOWEST_SHAPE = -0.5;

    /** A configuration that lets the tail fit take any shape from {@link #LOWEST_SHAPE} up, as in the paper. */
    public SpotConfig(double risk, int calibrationSize, double initialQuantile, int maxPeaks, int driftDepth) {
        this(risk, calibrationSize, initialQuantile, maxPeaks, driftDepth, LOWEST_SHAPE);
    }

    public SpotConfig {
        if (!(risk > 0.0 && risk < 1.0)) {
            throw new IllegalArgumentException("risk must be in (0, 1), got " + risk);
        }
        if (calibrationSize < 10) {
            throw new IllegalArgumentException("calibrationSize must be >= 10, got " + calibrationSize);
        }
        if (!(initialQuantile > 0.0 && initialQuantile < 1.0)) {
            throw new IllegalArgumentException("initialQuantile must be in (0, 1), got " + initialQuantile);
        }
        if (!(risk < 1.0 - initialQuantile)) {
            // z_q is an extrapolation beyond t; a risk at or above the tail mass of t has nothing to extrapolate.
            throw new IllegalArgumentException(
                    "risk must be smaller than 1 - initialQuantile (" + (1.0 - initialQuantile) + "), got " + risk);
        }
        if (maxPeaks < 10) {
            throw new IllegalArgumentException("maxPeaks must be >= 10, got " + maxPeaks);
        }
        if (driftDepth < 0) {
            throw new IllegalArgumentException("driftDepth must be >= 0 (0 = plain SPOT), got " + driftDepth);
        }
        if (!(minShape >= LOWEST_SHAPE && minShape <= 0.5)) {
            throw new IllegalArgumentException("minShape must be in [" + LOWEST_SHAPE + ", 0.5], got " + minShape);
        }
    }

    public SpotConfig withRisk(double q) {
        return new SpotConfig(q, calibrationSize, initialQuantile, maxPeaks, driftDepth, minShape);
    }

    public SpotConfig withCalibrationSize(int size) {
        return new SpotConfig(risk, size, initialQuantile, maxPeaks, driftDepth, minShape);
    }

    public SpotConfig withMaxPeaks(int peaks) {
        return new SpotConfig(risk, calibrationSize, initialQuantile, peaks, driftDepth, minShape);
    }

    public SpotConfig withDriftDepth(int depth) {
        return new SpotConfig(risk, calibrationSize, initialQuantile, maxPeaks, depth, minShape);
    }

    /**
     * The same configuration with a floor on the tail's shape. A floor of 0 admits exponential and heavier tails only:
     * a finite sample of Gaussian-like errors often fits a short (bounded) tail whose endpoint sits just above the
     * largest error seen, and the next ordinary excursion then alarms; errors with Gaussian noise belong to the
     * exponential (gamma = 0) domain, so the floor costs accuracy only on truly bounded errors.
     */
    public SpotConfig withMinShape(double shape) {
        return new SpotConfig(risk, calibrationSize, initialQuantile, maxPeaks, driftDepth, shape);
    }
}
