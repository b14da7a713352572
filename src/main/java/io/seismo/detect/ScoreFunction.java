package io.seismo.detect;

/** How a reading's anomaly score is computed (the alert decision is the learned threshold's either way). */
public enum ScoreFunction {
    /** SPOT's tail probability of the reading's own error: 0.5 at the learned threshold. */
    SPOT,
    /**
     * The anomaly likelihood of the short-term error level, with values outside the series' range and stuck sensors at
     * its extreme, reported at the onset of a run ({@link AnomalyLikelihood}): 0.5 at a tail probability of 1e-5.
     */
    LIKELIHOOD
}
