package io.seismo.detect;

/**
 * Exponentially weighted smoothing of the absolute prediction error, so that SPOT scores sustained
 * deviations rather than single noisy readings. {@code alpha = 1} means no smoothing. The state is
 * one double, starting at 0: the first ~1/alpha readings are biased low, which only affects SPOT's
 * calibration phase.
 */
public final class ErrorSmoother {

    private final double alpha;
    private double value;

    public ErrorSmoother(double alpha) {
        this(alpha, 0.0);
    }

    private ErrorSmoother(double alpha, double value) {
        checkAlpha(alpha);
        if (!(value >= 0.0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("smoothed error must be finite and >= 0, got " + value);
        }
        this.alpha = alpha;
        this.value = value;
    }

    /** Rebuilds a smoother from its single state value. */
    public static ErrorSmoother restore(double alpha, double smoothedError) {
        return new ErrorSmoother(alpha, smoothedError);
    }

    /** Adds one raw (signed) error and returns the new smoothed absolute error. */
    public double update(double error) {
        value = smooth(value, error, alpha);
        return value;
    }

    /**
     * Pure form of {@link #update(double)}. Written as {@code alpha*|e| + (1-alpha)*previous} so that
     * {@code alpha = 1} returns exactly {@code |e|}.
     */
    public static double smooth(double previous, double error, double alpha) {
        if (!Double.isFinite(error)) {
            throw new IllegalArgumentException("error must be finite, got " + error);
        }
        return alpha * Math.abs(error) + (1.0 - alpha) * previous;
    }

    /** Current smoothed absolute error; this is the whole state. */
    public double value() {
        return value;
    }

    public double alpha() {
        return alpha;
    }

    private static void checkAlpha(double alpha) {
        if (!(alpha > 0.0 && alpha <= 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
    }
}
