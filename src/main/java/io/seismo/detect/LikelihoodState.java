package io.seismo.detect;

/**
 * A snapshot of a series' {@link AnomalyLikelihood}, as plain data.
 *
 * @param recentErrors the last {@link AnomalyLikelihood#WINDOW} values of ln(1 + error), a ring (slot = count mod window)
 * @param observations errors scored so far
 * @param mean         long-term mean of the short-term level
 * @param variance     long-term variance of the short-term level
 * @param sinceAlarm   scored readings since the last alarming level, at most {@link AnomalyLikelihood#WINDOW} + 1 (none
 *                     within the window)
 * @param lowest       lowest value the series has shown
 * @param highest      highest value the series has shown
 */
public record LikelihoodState(double[] recentErrors, long observations, double mean, double variance, int sinceAlarm, double lowest,
                              double highest) {
    /** The state of a series never scored. */
    public static LikelihoodState empty() {
        return new LikelihoodState(new double[AnomalyLikelihood.WINDOW], 0, 0, 0, AnomalyLikelihood.WINDOW + 1, 0, 0);
    }
}
