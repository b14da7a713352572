package io.seismo.detect;

/**
 * Complete state of an {@link OnlineScaler}.
 *
 * @param count values seen so far
 * @param mean running mean
 * @param variance running (population) variance
 */
public record ScalerState(long count, double mean, double variance) {

    /** The state of a scaler that has seen nothing. */
    public static final ScalerState EMPTY = new ScalerState(0, 0.0, 0.0);

    public ScalerState {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("mean must be finite, got " + mean);
        }
        if (!(variance >= 0.0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("variance must be finite and >= 0, got " + variance);
        }
    }
}
