package io.seismo.detect;

/**
 * What the detector concluded about one reading.
 *
 * @param scored       whether the reading's error was scored (false during warm-up)
 * @param observed     the value
 * @param expected     the value predicted for it at the previous step, in the series' units
 * @param lower        expected minus the threshold, in the series' units
 * @param upper        expected plus the threshold, in the series' units
 * @param error        the smoothed prediction error, in scaled units
 * @param threshold    the learned threshold on the smoothed error (0 while none is learned yet)
 * @param score        anomaly score in [0,1], 0.5 at the threshold
 * @param anomalous    whether the error exceeded the threshold
 * @param severity     severity of this reading (meaningful when anomalous)
 * @param transition   what happened to the series' anomaly episode
 * @param modelVersion model version that made the prediction; 0 for the baseline forecaster
 */
public record Verdict(boolean scored, double observed, double expected, double lower, double upper, double error,
                      double threshold, double score, boolean anomalous, Severity severity, EpisodeTransition transition,
                      long modelVersion) {
}
