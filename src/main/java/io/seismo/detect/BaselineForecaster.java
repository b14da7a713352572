package io.seismo.detect;

/**
 * Forecaster used before a trained model exists: simple exponential smoothing of the level, in
 * scaled units. {@code alpha = 1} predicts the last value.
 */
public final class BaselineForecaster {

    private final double alpha;
    private boolean hasLevel;
    private double level;

    public BaselineForecaster(double alpha) {
        this(alpha, BaselineState.EMPTY);
    }

    private BaselineForecaster(double alpha, BaselineState state) {
        if (!(alpha > 0.0 && alpha <= 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
        this.hasLevel = state.hasLevel();
        this.level = state.level();
    }

    public static BaselineForecaster restore(double alpha, BaselineState state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        return new BaselineForecaster(alpha, state);
    }

    /** Prediction of the next scaled value; 0 (the scaled mean) before any value. */
    public double predict() {
        return level;
    }

    /** Adds one scaled value. */
    public void update(double z) {
        level = next(hasLevel, level, z, alpha);
        hasLevel = true;
    }

    /**
     * Pure form of {@link #update(double)} for callers keeping the state themselves. Written as
     * {@code alpha*z + (1-alpha)*level} so that {@code alpha = 1} returns exactly {@code z}.
     */
    public static double next(boolean hasLevel, double level, double z, double alpha) {
        if (!Double.isFinite(z)) {
            throw new IllegalArgumentException("value must be finite, got " + z);
        }
        return hasLevel ? alpha * z + (1.0 - alpha) * level : z;
    }

    public boolean hasLevel() {
        return hasLevel;
    }

    public double alpha() {
        return alpha;
    }

    public BaselineState snapshot() {
        return new BaselineState(hasLevel, level);
    }
}
