package io.seismo.stream;

import io.seismo.detect.EpisodeTransition;
import io.seismo.detect.Verdict;
import io.seismo.release.RejectionReason;

/**
 * What the detector's processors report as they work, for whoever keeps metrics (the api package binds it to
 * Micrometer). Called on stream threads for every record: implementations must be thread-safe, cheap and allocate
 * nothing per call. {@link #NONE} ignores everything.
 */
public interface DetectorMetrics {
    /** Reports nothing. */
    DetectorMetrics NONE = new DetectorMetrics() { };

    /** A reading was judged (a verdict reached and the state stored), taking {@code nanos} of the detector's work. */
    default void judged(long nanos) {
    }

    /** An anomaly event was emitted: an episode opened, escalated or closed. */
    default void anomalyEvent(EpisodeTransition kind) {
    }

    /** A model release was refused for {@code reason} (by the store's updater, a detector task or the trainer). */
    default void modelRejected(RejectionReason reason) {
    }

    /** A series idle for state.ttl.ms was deleted from the state store. */
    default void seriesExpired() {
    }

    /** A record was dead-lettered for {@code reason}. */
    default void deadLettered(DeadLetterReason reason) {
    }

    /**
     * A record was dropped because even its reduced dead letter (no key or value bytes, timestamp clamped) was refused
     * by the broker: the one case an input leaves no trace on a topic (the error log names it).
     */
    default void deadLetterDropped() {
    }

    /**
     * Whether someone watches {@code series} reading by reading (the dashboard's live chart): only then does the detector
     * report its readings through {@link #judged(String, long, Verdict, boolean)}. Asked for every reading, so it must be
     * a cheap lookup.
     */
    default boolean watches(String series) {
        return false;
    }

    /** A reading of a watched series was judged: its event time, the verdict, and whether an episode is open after it. */
    default void judged(String series, long timestamp, Verdict verdict, boolean inEpisode) {
    }
}
