package io.seismo.detect;

/** What one reading did to the anomaly episode of its series. */
public enum EpisodeTransition {
    /** Nothing to report. */
    NONE,
    /** First anomalous reading while no episode was open. */
    OPENED,
    /** The open episode's severity rose above its previous maximum. */
    ESCALATED,
    /** The configured number of consecutive normal readings followed the open episode. */
    CLOSED
}
