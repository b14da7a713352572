package io.seismo.detect;

/**
 * A snapshot of a series' {@link AnomalyLikelihood}, as plain data.
 *
 * @param recentErrors      the last {@link AnomalyLikelihood#WINDOW} values of ln(1 + error), oldest first
 * @param observations      errors scored so far
 * @param mean              long-term mean of the errors' short-term level
 * @param variance          long-term variance of the errors' short-term level
 * @param lowest            lowest value the series has shown
 * @param highest           highest value the series has shown
 * @param recentDaily       the last {@link AnomalyLikelihood#WINDOW} values of ln(1 + deviation from the value's day bin), oldest
 *                          first
 * @param dailyObservations readings the time-of-day channel has seen
 * @param dailyMean         long-term mean of the time-of-day channel's short-term level
 * @param dailyVariance     long-term variance of the time-of-day channel's short-term level
 * @param binMeans          per half hour of the UTC day: exponentially weighted mean of the values
 * @param binVariances      per half hour of the UTC day: exponentially weighted variance of the values
 * @param binCounts         per half hour of the UTC day: values seen, saturating at 15
 */
public record LikelihoodState(float[] recentErrors, long observations, double mean, double variance, double lowest,
                              double highest, float[] recentDaily, long dailyObservations, double dailyMean, double dailyVariance,
                              float[] binMeans, float[] binVariances, byte[] binCounts) {
    /** The state of a series never scored. */
    public static LikelihoodState empty() {
        int w = AnomalyLikelihood.WINDOW;
        int bins = AnomalyLikelihood.DAY_BINS;
        return new LikelihoodState(new float[w], 0, 0, 0, 0, 0, new float[w], 0, 0, 0, new float[bins], new float[bins],
                new byte[bins]);
    }
}
