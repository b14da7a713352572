package io.seismo.detect;

/**
 * Complete state of an {@link EpisodeTracker}.
 *
 * @param open whether an episode is open
 * @param start timestamp of the episode's first anomalous reading
 * @param readings anomalous readings in the episode
 * @param peakScore highest score in the episode
 * @param maxSeverity highest {@link SeverityBand} ordinal in the episode
 * @param normalRun consecutive normal readings since the last anomalous one
 */
public record EpisodeState(boolean open, long start, int readings, double peakScore, int maxSeverity, int normalRun) {

    /** No episode ever seen. */
    public static final EpisodeState EMPTY = new EpisodeState(false, 0L, 0, 0.0, 0, 0);

    public EpisodeState {
        if (readings < 0) {
            throw new IllegalArgumentException("readings must be >= 0, got " + readings);
        }
        if (normalRun < 0) {
            throw new IllegalArgumentException("normalRun must be >= 0, got " + normalRun);
        }
        if (Double.isNaN(peakScore)) {
            throw new IllegalArgumentException("peakScore must not be NaN");
        }
        SeverityBand.ofOrdinal(maxSeverity);
    }
}
