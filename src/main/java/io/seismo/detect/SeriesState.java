package io.seismo.detect;

/**
 * Everything kept per series between readings, as plain data: counters, the scaler, the last prediction, the model's
 * recurrent state, the recent raw values (oldest first) and the learned threshold and episode state. Mutable; owned by
 * one processing task at a time.
 */
public final class SeriesState {
    long readings;
    long lastTimestamp;
    double lastValue;
    double typicalGap;
    OnlineScaler scaler;
    double expected;
    boolean hasPrediction;
    double baselineLevel;
    long modelVersion;
    double[] recurrent;
    final double[] window;
    int windowSize;
    double smoothedError;
    double fallbackThreshold;
    int repeatRun;
    int longestRepeatRun;
    int lastStuckRun;
    Spot spot;
    EpisodeTracker episodes;
    AnomalyLikelihood likelihood;

    SeriesState(DetectorSettings settings) {
        scaler = new OnlineScaler(settings.scalerHorizon());
        recurrent = new double[0];
        window = new double[settings.window()];
        spot = new Spot(settings.spot());
        episodes = new EpisodeTracker(settings.episodeCloseAfter());
        likelihood = new AnomalyLikelihood();
    }

    /** Restores a state from its parts, e.g. after reading it from a store. Arrays are copied. */
    public static SeriesState restore(DetectorSettings settings, long readings, long lastTimestamp, double lastValue,
                                      double typicalGap, ScalerState scaler, double expected, boolean hasPrediction, double baselineLevel,
                                      long modelVersion, double[] recurrent, double[] recentValues, double smoothedError,
                                      double fallbackThreshold, SpotState spot, EpisodeState episodes) {
        SeriesState s = new SeriesState(settings);
        s.readings = readings;
        s.lastTimestamp = lastTimestamp;
        s.lastValue = lastValue;
        s.typicalGap = typicalGap;
        s.scaler = OnlineScaler.restore(settings.scalerHorizon(), scaler);
        s.expected = expected;
        s.hasPrediction = hasPrediction;
        s.baselineLevel = baselineLevel;
        s.modelVersion = modelVersion;
        s.recurrent = recurrent.clone();
        int keep = Math.min(recentValues.length, s.window.length);
        System.arraycopy(recentValues, recentValues.length - keep, s.window, 0, keep);
        s.windowSize = keep;
        s.smoothedError = smoothedError;
        s.fallbackThreshold = fallbackThreshold;
        s.spot = Spot.restore(settings.spot(), spot);
        s.episodes = EpisodeTracker.restore(settings.episodeCloseAfter(), episodes);
        return s;
    }

    /** Sets the repeat counters of a restored state. */
    public SeriesState withRepeats(int run, int longest, int lastStuck) {
        repeatRun = run;
        longestRepeatRun = longest;
        lastStuckRun = lastStuck;
        return this;
    }

    /** Sets the anomaly likelihood of a restored state. */
    public SeriesState withLikelihood(LikelihoodState state) {
        likelihood = AnomalyLikelihood.restore(state);
        return this;
    }

    /** The anomaly likelihood's state. */
    public LikelihoodState likelihood() {
        return likelihood.snapshot();
    }

    /** Length of the last run of repeats judged stuck; 0 when none. */
    public int lastStuckRun() {
        return lastStuckRun;
    }

    /** Readings in a row, up to the last, with exactly the same value. */
    public int repeatRun() {
        return repeatRun;
    }

    /** Longest run of repeated values seen in normal operation. */
    public int longestRepeatRun() {
        return longestRepeatRun;
    }

    public long readings() {
        return readings;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    public double lastValue() {
        return lastValue;
    }

    /** Exponentially weighted mean time between readings, millis; 0 before the second reading. */
    public double typicalGap() {
        return typicalGap;
    }

    public ScalerState scaler() {
        return scaler.snapshot();
    }

    /** The prediction for the next reading, in the series' units (meaningful when {@link #hasPrediction()}). */
    public double expected() {
        return expected;
    }

    public boolean hasPrediction() {
        return hasPrediction;
    }

    public double baselineLevel() {
        return baselineLevel;
    }

    /** The model version the recurrent state was computed with; 0 for the baseline forecaster. */
    public long modelVersion() {
        return modelVersion;
    }

    /** A copy of the recurrent state. */
    public double[] recurrent() {
        return recurrent.clone();
    }

    /** The recent raw values, oldest first. */
    public double[] recentValues() {
        double[] out = new double[windowSize];
        System.arraycopy(window, 0, out, 0, windowSize);
        return out;
    }

    public double smoothedError() {
        return smoothedError;
    }

    public double fallbackThreshold() {
        return fallbackThreshold;
    }

    public SpotState spot() {
        return spot.snapshot();
    }

    public EpisodeState episodes() {
        return episodes.snapshot();
    }

    /** Whether an anomaly episode is open. */
    public boolean inEpisode() {
        return episodes.open();
    }

    /** The learned threshold in force: SPOT's once calibrated, else the previous model's, else 0. */
    public double threshold() {
        return spot.calibrated() ? spot.threshold() : fallbackThreshold;
    }

    void remember(double value) {
        if (windowSize == window.length) {
            System.arraycopy(window, 1, window, 0, window.length - 1);
            window[window.length - 1] = value;
        } else {
            window[windowSize++] = value;
        }
    }
}
