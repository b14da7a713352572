package io.seismo.detect;

import io.seismo.config.SeismoConfig;

/**
 * How each series is scored.
 *
 * @param warmupReadings     readings before errors are scored
 * @param scalerHorizon      readings after which the scaler forgets exponentially
 * @param errorSmoothing     weight of the newest absolute error in the smoothed error (1 = none)
 * @param baselineAlpha      smoothing of the baseline forecaster (1 = last value)
 * @param spot               the learned threshold's settings
 * @param episodeCloseAfter  consecutive normal readings that close an episode
 * @param window             recent values kept for re-warming on a model swap
 * @param stuckReadings      identical consecutive readings, in a series that normally varies, that count as a stuck
 *                           sensor (0 turns the rule off); a next-value predictor alone misses them
 * @param recalibrateOnSwap  whether a new model's errors are given a freshly learned threshold (alerting with the old
 *                           one meanwhile) instead of the learned threshold carrying over
 */
public record DetectorSettings(int warmupReadings, int scalerHorizon, double errorSmoothing, double baselineAlpha,
                               SpotConfig spot, int episodeCloseAfter, int window, int stuckReadings, boolean recalibrateOnSwap) {
    /** Settings whose threshold is learned afresh on a model swap. */
    public DetectorSettings(int warmupReadings, int scalerHorizon, double errorSmoothing, double baselineAlpha, SpotConfig spot,
                            int episodeCloseAfter, int window, int stuckReadings) {
        this(warmupReadings, scalerHorizon, errorSmoothing, baselineAlpha, spot, episodeCloseAfter, window, stuckReadings, true);
    }

    /** The detection settings a configuration asks for. */
    public static DetectorSettings from(SeismoConfig config) {
        SeismoConfig.Detect d = config.detect();
        return new DetectorSettings(d.warmupReadings(), d.scalerHorizon(), d.errorSmoothing(), d.baselineAlpha(),
                new SpotConfig(d.spotRisk(), d.spotCalibration(), d.spotQuantile(), d.spotMaxPeaks(), d.spotDepth(), d.spotMinShape()),
                d.episodeCloseAfter(), config.model().window(), d.stuckReadings(), d.recalibrateOnSwap());
    }

    public DetectorSettings {
        if (warmupReadings < 2) {
            throw new IllegalArgumentException("warmupReadings must be at least 2, got " + warmupReadings);
        }
        if (!(errorSmoothing > 0 && errorSmoothing <= 1)) {
            throw new IllegalArgumentException("errorSmoothing must be in (0, 1], got " + errorSmoothing);
        }
        if (!(baselineAlpha > 0 && baselineAlpha <= 1)) {
            throw new IllegalArgumentException("baselineAlpha must be in (0, 1], got " + baselineAlpha);
        }
        if (stuckReadings != 0 && (stuckReadings < 3 || stuckReadings > window)) {
            throw new IllegalArgumentException("stuckReadings must be 0 (off) or between 3 and the window (" + window + "), got "
                    + stuckReadings);
        }
        if (episodeCloseAfter < 1 || window < 1 || scalerHorizon < 2) {
            throw new IllegalArgumentException("episodeCloseAfter, window and scalerHorizon must be positive");
        }
    }
}
