package io.seismo.detect;

/**
 * What the detector concluded about one reading.
 *
 * @param scored       whether the reading's error was scored (false during warm-up)
 * @param observed     the value
 * @param expected     the value predicted for it at the previous step, in the series' units
 * @param lower        expected minus the threshold, in the series' units: the band inside which the prediction error
 *                     alone does not alarm
 * @param upper        expected plus the threshold, in the series' units
 * @param error        the smoothed prediction error, in scaled units
 * @param threshold    the smoothed error at which the prediction error's learned tail (SPOT) reaches the alarm level,
 *                     in scaled units (0 while none is learned yet)
 * @param score        the judgement's anomaly score in [0,1): the reading is anomalous exactly when it is at least 0.5
 * @param anomalous    whether the score reached 0.5
 * @param severity     severity of this reading, from the same score (meaningful when anomalous)
 * @param transition   what happened to the series' anomaly episode
 * @param modelVersion model version that made the prediction; 0 for the baseline forecaster
 * @param reason       the channel that made the reading anomalous; {@link Reason#NONE} when it is not
 */
public record Verdict(boolean scored, double observed, double expected, double lower, double upper, double error,
                      double threshold, double score, boolean anomalous, SeverityBand severity, EpisodeTransition transition,
                      long modelVersion, Reason reason) {
}
