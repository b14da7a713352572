package io.seismo.detect;

/**
 * Per-series online standardisation, {@code z = (x - mean) / std}.
 *
 * <p>While fewer than {@code horizon} values have been seen, mean and variance are exact (Welford),
 * so a young series is not dominated by its first values. From then on both are exponentially
 * weighted with {@code alpha = 1/horizon}, so the scaler follows slow drift with a memory of about
 * {@code horizon} values. The variance is the population variance.
 *
 * <p>{@link #std()} is floored at {@code max(1e-6 * |mean|, 1e-9)}: a flat series has zero variance,
 * and dividing by it would turn the first change into an infinity. The relative part sits near float
 * precision (values are persisted as floats elsewhere), so jitter below it is not treated as signal.
 */
public final class OnlineScaler {

    /** Relative part of the standard deviation floor. */
    public static final double STD_FLOOR_RELATIVE = 1e-6;
    /** Absolute part of the standard deviation floor. */
    public static final double STD_FLOOR_ABSOLUTE = 1e-9;

    private final int horizon;
    private final double alpha;
    private long count;
    private double mean;
    private double variance;

    /** A scaler that has seen nothing. */
    public OnlineScaler(int horizon) {
        this(horizon, ScalerState.EMPTY);
    }

    private OnlineScaler(int horizon, ScalerState state) {
        if (horizon < 2) {
            throw new IllegalArgumentException("horizon must be >= 2, got " + horizon);
        }
        this.horizon = horizon;
        this.alpha = 1.0 / horizon;
        this.count = state.count();
        this.mean = state.mean();
        this.variance = state.variance();
    }

    /** Rebuilds a scaler from a snapshot. */
    public static OnlineScaler restore(int horizon, ScalerState state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        return new OnlineScaler(horizon, state);
    }

    /** Adds one value to the statistics. */
    public void update(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("value must be finite, got " + x);
        }
        if (count < horizon) {
            long next = count + 1;
            double delta = x - mean;
            double newMean = mean + delta / next;
            // Variance form of Welford: M2 = variance * count, so the state stays (count, mean, variance).
            variance = Math.max(0.0, (variance * count + delta * (x - newMean)) / next);
            mean = newMean;
        } else {
            double delta = x - mean;
            mean = mean + alpha * delta;
            variance = (1.0 - alpha) * (variance + alpha * delta * delta);
        }
        if (count < Long.MAX_VALUE) {
            count++;
        }
    }

    /** Standardises {@code x} with the current statistics. */
    public double scale(double x) {
        return (x - mean) / std();
    }

    /** Inverse of {@link #scale(double)}. */
    public double unscale(double z) {
        return mean + z * std();
    }

    /** Floored standard deviation; see the class comment. */
    public double std() {
        double floor = Math.max(STD_FLOOR_RELATIVE * Math.abs(mean), STD_FLOOR_ABSOLUTE);
        return Math.max(Math.sqrt(variance), floor);
    }

    public double mean() {
        return mean;
    }

    public double variance() {
        return variance;
    }

    public long count() {
        return count;
    }

    public int horizon() {
        return horizon;
    }

    public ScalerState snapshot() {
        return new ScalerState(count, mean, variance);
    }

    /** Back to a scaler that has seen nothing. */
    void reset() {
        count = 0;
        mean = 0;
        variance = 0;
    }

    /**
     * The scaler's fields (count, mean, variance), under the names given: the scaler is part of the series' state and of
     * each channel of its anomaly likelihood. With {@code floatPrecision} the mean and variance are stored as floats
     * (from layout 6), for statistics of levels of order 1 where 7 digits are ample; the series' own scaler, whose mean may
     * sit far from zero, keeps doubles. Validated as {@link ScalerState} does.
     */
    void fields(StateFields f, String countName, String meanName, String varianceName, boolean floatPrecision) {
        long c = f.count(countName, count);
        double m = floatPrecision ? f.float32(meanName, mean) : f.float64(meanName, mean);
        double v = floatPrecision ? f.float32(varianceName, variance) : f.float64(varianceName, variance);
        if (c < 0 || !Double.isFinite(m) || !(v >= 0.0) || Double.isInfinite(v)) {
            new ScalerState(c, m, v); // throws, naming the bad field
        }
        count = c;
        mean = m;
        variance = v;
    }
}
