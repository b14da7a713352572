package io.seismo.sim;

/**
 * Simulator settings.
 *
 * @param series number of series (at least 1); shapes are assigned round-robin
 * @param seed random seed; the same config always yields the same readings and labels
 * @param startMillis event time of the first tick
 * @param stepMillis event time between two ticks (positive)
 * @param warmupSteps no anomaly starts during the first {@code warmupSteps} ticks of a series
 * @param meanGapSteps mean number of steps from the start of one anomaly to the start of the next
 *     in the same series (at least {@link #MIN_MEAN_GAP_STEPS}); a drawn gap shorter than the
 *     anomaly's own length plus {@link #MIN_NORMAL_STEPS} is lengthened to that
 */
public record SimConfig(
        int series, long seed, long startMillis, long stepMillis, int warmupSteps, int meanGapSteps) {

    /** Normal readings guaranteed between the end of one anomaly and the start of the next. */
    public static final int MIN_NORMAL_STEPS = 50;

    /** Smallest accepted {@code meanGapSteps}: the longest anomaly plus a normal stretch. */
    public static final int MIN_MEAN_GAP_STEPS = 200;

    public SimConfig {
        if (series < 1) {
            throw new IllegalArgumentException("series must be at least 1, was " + series);
        }
        if (stepMillis <= 0) {
            throw new IllegalArgumentException("stepMillis must be positive, was " + stepMillis);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must not be negative, was " + warmupSteps);
        }
        if (meanGapSteps < MIN_MEAN_GAP_STEPS) {
            throw new IllegalArgumentException(
                    "meanGapSteps must be at least "
                            + MIN_MEAN_GAP_STEPS
                            + " (longest anomaly plus a normal stretch), was "
                            + meanGapSteps);
        }
    }

    /**
     * A convenient default: 1-minute steps from 2024-01-01T00:00Z, 500 warm-up steps, mean gap 600.
     */
    public static SimConfig defaults(int series, long seed) {
        return new SimConfig(series, seed, 1_704_067_200_000L, 60_000L, 500, 600);
    }

    /** Event time of tick {@code step} (0-based). */
    public long timestampOf(long step) {
        return startMillis + step * stepMillis;
    }
}
