package io.seismo.detect;

/**
 * Complete state of a {@link BaselineForecaster}.
 *
 * @param hasLevel whether any value has been seen
 * @param level smoothed level, scaled units; 0 when {@code hasLevel} is false
 */
public record BaselineState(boolean hasLevel, double level) {

    /** The state of a forecaster that has seen nothing. */
    public static final BaselineState EMPTY = new BaselineState(false, 0.0);

    public BaselineState {
        if (!Double.isFinite(level)) {
            throw new IllegalArgumentException("level must be finite, got " + level);
        }
    }
}
