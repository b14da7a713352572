package io.seismo.detect;

import io.seismo.nn.InputEncoding;

/**
 * Advances one series by one reading: scores the reading's error against the prediction made at the previous step,
 * decides whether it is anomalous against the series' learned threshold, tracks episodes, updates the scaler and
 * predicts the next value with the model in force (or the baseline forecaster before any model exists).
 * The one path every caller uses: the stream processor and offline scoring alike. Stateless itself; thread-safe.
 */
public final class SeriesDetector {
    /** Scaled predictions beyond this are treated as a failed step (guards against a diverged model). */
    private static final double MAX_SCALED_PREDICTION = 1e3;
    /** Weight of the newest gap in the series' typical gap. */
    private static final double GAP_SMOOTHING = 0.05;
    /** A stuck sensor repeats its value more than this many times the series' longest normal run of repeats. */
    private static final int STUCK_RUN_FACTOR = 2;
    /**
     * A value outside the range the series has shown counts as anomalous only while its error is itself unusual
     * (level 2: a tail probability of 1e-2): a series that merely drifts to a new high, as the model predicted, is not
     * an incident.
     */
    private static final double RANGE_ERROR_LEVEL = 2;

    private final DetectorSettings settings;

    public SeriesDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    public DetectorSettings settings() {
        return settings;
    }

    /** A fresh state for a series never seen before. */
    public SeriesState newState() {
        return new SeriesState(settings);
    }

    /**
     * Processes one reading.
     *
     * @param state     the series' state, modified
     * @param timestamp event time of the reading
     * @param value     the reading, finite
     * @param model     the model in force, or null before the first release
     */
    public Verdict advance(SeriesState state, long timestamp, double value, ActiveModel model) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("reading value must be finite, got " + value);
        }
        long inForce = model == null ? 0 : model.version();
        if (state.modelVersion != inForce) {
            swapModel(state, model);
        }
        countRepeats(state, value);
        boolean held = state.episodeAge > 0 && state.episodeAge < settings.window();
        Verdict verdict = score(state, timestamp, value, inForce, held);
        if (state.readings > 0) {
            double gap = timestamp - state.lastTimestamp;
            state.typicalGap = state.typicalGap == 0 ? gap : GAP_SMOOTHING * gap + (1 - GAP_SMOOTHING) * state.typicalGap;
        }
        double normal = hold(state, value, verdict);
        state.likelihood.include(value, state.readings);
        state.likelihood.learn(normal, timestamp, state.heldEpisode && state.episodes.readings() >= AnomalyLikelihood.WINDOW);
        learn(state, timestamp, normal, model);
        state.readings++;
        state.lastTimestamp = timestamp;
        state.lastValue = value;
        return verdict;
    }

    /**
     * Tracks the episode's hold and returns the value the series learns from this reading as normal. An episode that
     * opens on a reading departing from the series' usual values (further from its mean than the prediction was, and not
     * at a value the series habitually holds), once the series has a learned threshold, is held for at most {@link DetectorSettings#window()} readings (while the
     * recent window still holds readings from before it): the series keeps learning its normal behaviour, not the
     * anomaly's. The episode is taken as an offset on the normal signal, estimated as the mean signed error of the
     * readings it explains better than the prediction alone does; such a reading, and any anomalous one, is learned
     * with the offset removed and limited to the band around the expected value. A reading consistent with the
     * prediction is learned as it is, so the series follows its normal dynamics and the episode closes when the series
     * returns. Past the hold, readings are learned as they come: a change that persists becomes the new normal.
     */
    private double hold(SeriesState s, double value, Verdict verdict) {
        double r = value - s.expected;
        if (verdict.transition() == EpisodeTransition.OPENED) {
            double mean = s.scaler.mean();
            s.episodeAge = 1;
            s.heldEpisode = s.learnedThreshold() > 0 && Math.abs(value - mean) > Math.abs(s.expected - mean) && !isHabit(s, value);
            s.episodeOffset = r;
            s.offsetReadings = 1;
        } else if (s.episodes.open()) {
            s.episodeAge = s.episodeAge < Integer.MAX_VALUE ? s.episodeAge + 1 : s.episodeAge;
        } else {
            s.episodeAge = 0;
            s.heldEpisode = false;
        }
        if (!s.heldEpisode || s.episodeAge == 0 || s.episodeAge > settings.window()) {
            return value;
        }
        boolean offset = Math.abs(r - s.episodeOffset) < Math.abs(r);
        if (offset && verdict.transition() != EpisodeTransition.OPENED) {
            s.offsetReadings++;
            s.episodeOffset += (r - s.episodeOffset) / s.offsetReadings;
        }
        if (!verdict.anomalous() && !offset) {
            return value;
        }
        double d = offset ? r - s.episodeOffset : r;
        double band = s.bandHalfWidth();
        return s.expected + Math.max(-band, Math.min(band, d));
    }

    private Verdict score(SeriesState s, long timestamp, double value, long modelVersion, boolean held) {
        if (!s.hasPrediction || s.readings < settings.warmupReadings()) {
            return new Verdict(false, value, s.hasPrediction ? s.expected : value, Double.NaN, Double.NaN, 0, 0, 0, false,
                    SeverityBand.LOW, EpisodeTransition.NONE, modelVersion, Reason.NONE);
        }
        double sd = s.scaler.std();
        double error = Math.abs(value - s.expected) / sd;
        double a = settings.errorSmoothing();
        s.smoothedError = a * error + (1 - a) * s.smoothedError;
        double smoothed = s.smoothedError;

        // The calibrated tail of the error (SPOT). While an episode is young it learns nothing, calibrating or not: the
        // episode's errors are not the normal tail to learn from.
        if (!held) {
            s.spot.observe(smoothed);
        }
        // One judgement: every channel gives a level, -log10 of a tail probability; the reading's level is the highest,
        // and it is anomalous exactly when its level reaches the alarm level, RED (a probability of 1e-5) times the
        // series' feedback factor, that is when its score reaches 0.5. SeverityBand grows with the same ratio.
        double alarm = s.alarmLevel();
        // The prediction error's channel is SPOT's calibrated tail; the threshold reported is the error at which it alarms.
        double tailLevel;
        if (s.spot.calibrated()) {
            tailLevel = s.spot.tailLevel(smoothed);
            s.fallbackThreshold = 0;
        } else if (s.fallbackThreshold > 0) {
            // Re-calibrating after a model swap: the previous tail's alarm point keeps its place meanwhile, so there is
            // no blind period.
            tailLevel = AnomalyLikelihood.RED * smoothed / s.fallbackThreshold;
        } else {
            tailLevel = 0;
        }
        double threshold = s.threshold();
        // The anomaly likelihood's channels: the recent level of the errors and the value against its time of day.
        s.likelihood.level(smoothed, value, timestamp);
        double level = tailLevel;
        Reason reason = Reason.PREDICTION_ERROR;
        level = Math.max(level, s.likelihood.lastErrorLevel());
        if (s.likelihood.lastDailyLevel() > level) {
            level = s.likelihood.lastDailyLevel();
            reason = Reason.DAILY_PROFILE;
        }
        // Out of range: a value beyond every value the series has shown is a record, which an exchangeable series sets with
        // probability about 2/n; its level adds the error's own (the two are taken as independent evidence), so a new high
        // that the prediction expected is no incident, and an early record needs a larger error than a late one.
        if (s.likelihood.outsideRange(value, s.readings)) {
            double record = Math.min(Spot.MAX_TAIL_LEVEL, Math.log10(s.readings / 2.0) + Math.max(tailLevel, s.likelihood.lastErrorLevel()));
            if (record > level) {
                level = record;
                reason = Reason.OUT_OF_RANGE;
            }
        }
        if (isStuck(s, value) && AnomalyLikelihood.EXTREME >= level) {
            level = AnomalyLikelihood.EXTREME;
            reason = Reason.STUCK_SENSOR;
        }
        double score = level <= 0 ? 0 : level / (level + alarm);
        boolean anomalous = level >= alarm;
        SeverityBand severity = SeverityBand.ofScore(score);
        s.lastScore = score;
        EpisodeTransition transition = s.episodes.update(anomalous, timestamp, score, severity);
        double band = s.bandHalfWidth();
        return new Verdict(true, value, s.expected, s.expected - band, s.expected + band, smoothed, threshold,
                score, anomalous, severity, transition, modelVersion, anomalous ? reason : Reason.NONE);
    }

    /**
     * Counts the current run of exactly repeated values. A run that ends without having been judged stuck, or while the
     * series' first threshold is learned, is normal for this series (a square wave's plateaus, a count that is often
     * zero), and a stuck sensor must repeat for longer. A run judged stuck that recurs at the same value (a second one
     * at most twice as long as the last) is the series' own habit at that value (a counter that rests at zero, a valve
     * that closes every night): runs at that value are judged by the habit from then on, after both have alerted,
     * while a freeze at any other value is still a stuck sensor.
     */
    private void countRepeats(SeriesState s, double value) {
        if (s.readings > 0 && value == s.lastValue) {
            s.repeatRun++;
            return;
        }
        int run = s.repeatRun;
        double runValue = s.lastValue;
        boolean habitual = isHabit(s, runValue);
        int normal = habitual ? Math.max(s.longestRepeatRun, s.habitRun) : s.longestRepeatRun;
        boolean learning = s.readings < (long) settings.warmupReadings() + settings.spot().calibrationSize();
        if (s.readings > 0 && run > normal) {
            if (!stuckRun(s, run, runValue) || learning) {
                if (habitual) {
                    s.habitRun = run;
                } else {
                    s.longestRepeatRun = run;
                }
            } else if (s.lastStuckRun > 0 && runValue == s.lastStuckValue && 2 * s.lastStuckRun >= run) {
                s.habitValue = runValue;
                s.habitRun = Math.max(s.habitRun, run);
                s.lastStuckRun = 0;
            } else {
                s.lastStuckRun = run;
                s.lastStuckValue = runValue;
            }
        }
        s.repeatRun = 1;
    }

    private static boolean isHabit(SeriesState s, double value) {
        return s.habitRun > 0 && value == s.habitValue;
    }

    /** Whether a run of repeats of this value, this long, is beyond what the series does normally. */
    private boolean stuckRun(SeriesState s, int run, double value) {
        int k = settings.stuckReadings();
        int normal = isHabit(s, value) ? Math.max(s.longestRepeatRun, s.habitRun) : s.longestRepeatRun;
        return k > 0 && run >= k && run > STUCK_RUN_FACTOR * normal;
    }

    /**
     * Whether the reading repeats the previous values exactly for longer than the series ever does normally (at least
     * {@code stuckReadings} in a row, and more than twice its longest normal run) while the series normally varies:
     * a frozen sensor, which a next-value predictor fed its own frozen input would soon stop noticing.
     */
    private boolean isStuck(SeriesState s, double value) {
        int k = settings.stuckReadings();
        if (k == 0 || !stuckRun(s, s.repeatRun, value)) {
            return false;
        }
        double sd = Math.sqrt(s.scaler.variance());
        if (!(sd > OnlineScaler.STD_FLOOR_RELATIVE * 1e3 * Math.abs(s.scaler.mean())) || sd <= OnlineScaler.STD_FLOOR_ABSOLUTE) {
            return false;
        }
        return true;
    }

    /** Updates the scaler, the recent window and the prediction for the next reading. */
    private void learn(SeriesState s, long timestamp, double value, ActiveModel model) {
        s.scaler.update(value);
        s.remember(value);
        s.baselineLevel = s.readings == 0 ? value : settings.baselineAlpha() * value + (1 - settings.baselineAlpha()) * s.baselineLevel;
        double next = s.baselineLevel;
        if (model != null) {
            long previous = s.readings == 0 ? InputEncoding.NO_PREVIOUS : s.lastTimestamp;
            double p = model.step(s.recurrent, s.scaler.scale(value), timestamp, previous, s.typicalGap);
            if (Double.isFinite(p) && Math.abs(p) < MAX_SCALED_PREDICTION) {
                next = s.scaler.unscale(p);
            }
        }
        s.expected = next;
        s.hasPrediction = true;
    }

    /**
     * A new model (or none): re-warm the recurrent state from the recent window so the next prediction is the new
     * model's; the learned threshold carries over and keeps adapting to the new model's errors (or, when so configured,
     * is learned afresh while the old one keeps alerting).
     */
    private void swapModel(SeriesState s, ActiveModel model) {
        if (settings.recalibrateOnSwap() && s.spot.calibrated()) {
            s.fallbackThreshold = s.spot.quantile(Math.pow(10, -AnomalyLikelihood.RED));
            s.spot = new Spot(settings.spot());
        }
        if (model == null) {
            s.recurrent = new double[0];
            s.modelVersion = 0;
            if (s.hasPrediction) {
                s.expected = s.baselineLevel;
            }
            return;
        }
        if (s.recurrent.length != model.stateSize()) {
            s.recurrent = new double[model.stateSize()];
        } else {
            java.util.Arrays.fill(s.recurrent, 0);
        }
        // Only values are kept, so the window's times are taken as evenly spaced at the typical gap, ending at the last reading.
        double p = Double.NaN;
        long gap = Math.round(s.typicalGap);
        for (int i = 0; i < s.windowSize; i++) {
            long t = s.lastTimestamp - (long) (s.windowSize - 1 - i) * gap;
            long previous = i == 0 ? InputEncoding.NO_PREVIOUS : t - gap;
            p = model.step(s.recurrent, s.scaler.scale(s.window[i]), t, previous, s.typicalGap);
        }
        if (s.windowSize > 0 && Double.isFinite(p) && Math.abs(p) < MAX_SCALED_PREDICTION) {
            s.expected = s.scaler.unscale(p);
            s.hasPrediction = true;
        }
        s.modelVersion = model.version();
    }
}
