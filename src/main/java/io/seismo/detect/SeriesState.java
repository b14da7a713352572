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
    /** Readings since the open episode began (1 on its opening reading); 0 when no episode is open. */
    int episodeAge;
    /** Whether the open episode is held: the series learns its normal behaviour, not the anomaly's (see SeriesDetector). */
    boolean heldEpisode;
    /** The held episode's offset on the normal signal: the mean signed error of the readings it explains. */
    double episodeOffset;
    /** Readings the offset was estimated from. */
    int offsetReadings;
    double fallbackThreshold;
    int repeatRun;
    int longestRepeatRun;
    int lastStuckRun;
    /** The value the last run judged stuck repeated (meaningful while {@link #lastStuckRun} is positive). */
    double lastStuckValue;
    /** A value the series habitually holds for long (a stuck run that recurred at it), and its longest such run; 0: none. */
    double habitValue;
    int habitRun;
    Spot spot;
    EpisodeTracker episodes;
    AnomalyLikelihood likelihood;
    /** The score the detector gave the last scored reading (whichever score function is configured). */
    double lastScore;
    /** Operators' feedback: what the learned threshold is multiplied by when deciding; 1 until a false alarm is reported. */
    double thresholdFactor = 1;
    int falseAlarms;
    int confirmations;
    /** When the last reading arrived, on the detector's wall clock (silence and expiry on the wall clock count from it). */
    long lastArrival = NOT_ARRIVED;
    /** When the series' SILENT episode began (the time its first missing reading was due); {@link #NOT_SILENT} otherwise. */
    long silentSince = NOT_SILENT;
    /** Start of the last episode operators' feedback was taken for; {@link #NO_FEEDBACK} before any. */
    long feedbackEpisode = NO_FEEDBACK;

    /** {@link #lastArrival()} not known: the state was written before arrivals were kept, or by a replay of a test. */
    public static final long NOT_ARRIVED = 0;
    /** {@link #silentSince()} of a series that is not silent. */
    public static final long NOT_SILENT = Long.MIN_VALUE;
    /** {@link #feedbackEpisode()} of a series no feedback was taken for. */
    public static final long NO_FEEDBACK = Long.MIN_VALUE;
    /** Readings a series needs before its silence is judged: its typical gap must be known. */
    public static final int SILENCE_MIN_READINGS = 10;

    /** The state of a series never seen before. */
    public SeriesState(DetectorSettings settings) {
        scaler = new OnlineScaler(settings.scalerHorizon());
        recurrent = new double[0];
        window = new double[settings.window()];
        spot = new Spot(settings.spot());
        episodes = new EpisodeTracker(settings.episodeCloseAfter());
        likelihood = new AnomalyLikelihood();
    }

    /** Readings since the open episode began (1 on its opening reading); 0 when none is open. */
    public int episodeAge() {
        return episodeAge;
    }

    /** Whether the open episode is held: the series learns its normal behaviour, not the anomaly's. */
    public boolean heldEpisode() {
        return heldEpisode;
    }

    /** The held episode's offset on the normal signal, in the series' units. */
    public double episodeOffset() {
        return episodeOffset;
    }

    /** Readings the held episode's offset was estimated from. */
    public int offsetReadings() {
        return offsetReadings;
    }

    /**
     * Takes an operator's verdict on one of this series' alerts. A false alarm multiplies the threshold factor by
     * {@code raise}, up to {@code max}; a confirmation divides it by {@code raise}, down to 1 (undoing one false alarm,
     * never making the series more sensitive than SPOT's own threshold). Returns the factor now in force.
     */
    public double applyFeedback(boolean falseAlarm, double raise, double max) {
        if (!(raise > 1) || !(max >= 1)) {
            throw new IllegalArgumentException("raise must exceed 1 and max be at least 1, got " + raise + " and " + max);
        }
        if (falseAlarm) {
            falseAlarms++;
            thresholdFactor = Math.min(max, thresholdFactor * raise);
        } else {
            confirmations++;
            thresholdFactor = Math.max(1, thresholdFactor / raise);
        }
        return thresholdFactor;
    }

    /**
     * Whether an operator's verdict on the alert at {@code anomalyTimestamp} can be taken: it must lie in the series'
     * latest anomaly episode (from its start to its last reading, or to now while it is open), and that episode must not
     * have had a verdict yet. One verdict per episode, so repeated posts cannot ratchet a threshold up.
     */
    public boolean acceptsFeedback(long anomalyTimestamp) {
        EpisodeState e = episodes.snapshot();
        boolean seen = e.readings() > 0;
        return seen && feedbackEpisode != e.start() && anomalyTimestamp >= e.start() && (e.open() || anomalyTimestamp <= lastTimestamp);
    }

    /** Records that feedback was taken for the latest episode (see {@link #acceptsFeedback}). */
    public void feedbackTaken() {
        feedbackEpisode = episodes.start();
    }

    /** Start of the last episode feedback was taken for; {@link #NO_FEEDBACK} before any. */
    public long feedbackEpisode() {
        return feedbackEpisode;
    }

    /** Whether the series has a SILENT episode open: it stopped reporting and no reading has come since. */
    public boolean silent() {
        return silentSince != NOT_SILENT;
    }

    /** When the open SILENT episode began (the time the first missing reading was due); {@link #NOT_SILENT} if none. */
    public long silentSince() {
        return silentSince;
    }

    /**
     * Whether the series has gone silent: it has reported long enough for its typical gap to be known, is not silent
     * already, and nothing came for {@code idle} milliseconds, more than {@code after} typical gaps.
     */
    public boolean silentAfter(long idle, double after) {
        return !silent() && after > 0 && readings >= SILENCE_MIN_READINGS && typicalGap > 0 && idle > after * typicalGap;
    }

    /**
     * Opens the SILENT episode and closes any anomaly episode still open (no reading will close it): returns whether one
     * was closed, whose accessors on {@link #episodes()} then describe it. The episode begins when the first missing
     * reading was due: a typical gap after the last one.
     */
    public boolean openSilence() {
        silentSince = lastTimestamp + Math.max(1, Math.round(typicalGap));
        boolean closed = episodes.closeNow();
        if (closed) {
            episodeAge = 0;
            heldEpisode = false;
            episodeOffset = 0;
            offsetReadings = 0;
        }
        return closed;
    }

    /** Closes the SILENT episode (a reading came); returns when it began. */
    public long closeSilence() {
        long since = silentSince;
        silentSince = NOT_SILENT;
        return since;
    }

    /**
     * How far past the silence limit {@code idle} milliseconds without a reading are, as a level ratio: 1 at
     * {@code after} typical gaps, 2 at {@code after}² of them (the log scale of every other channel's level).
     */
    public double silenceRatio(long idle, double after) {
        double gaps = Math.max(1.0, idle / Math.max(1.0, typicalGap));
        return after > 1 ? Math.max(1.0, Math.log(gaps) / Math.log(after)) : 1.0;
    }

    /** Readings that were due and did not come in {@code idle} milliseconds after the last one. */
    public int missedReadings(long idle) {
        double missed = Math.floor(idle / Math.max(1.0, typicalGap)) - 1;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, missed));
    }

    /** Records that a reading of the series arrived at {@code wallMillis} on the detector's clock. */
    public void arrived(long wallMillis) {
        lastArrival = wallMillis;
    }

    /** When the series' last reading arrived, on the detector's wall clock; {@link #NOT_ARRIVED} when not known. */
    public long lastArrival() {
        return lastArrival;
    }

    /** What operators' feedback multiplies the learned threshold by when deciding; 1 without any. */
    public double thresholdFactor() {
        return thresholdFactor;
    }

    /** Alerts of this series operators reported as false alarms. */
    public int falseAlarms() {
        return falseAlarms;
    }

    /** Alerts of this series operators confirmed. */
    public int confirmations() {
        return confirmations;
    }

    /** The score the detector gave the last scored reading; 0 before any. */
    public double lastScore() {
        return lastScore;
    }

    /** The anomaly likelihood's state. */
    public LikelihoodState likelihood() {
        return likelihood.snapshot();
    }

    /** Length of the last run of repeats judged stuck; 0 when none. */
    public int lastStuckRun() {
        return lastStuckRun;
    }

    /** The value the last run judged stuck repeated. */
    public double lastStuckValue() {
        return lastStuckValue;
    }

    /** A value the series habitually repeats for long (see {@link #habitRun()}). */
    public double habitValue() {
        return habitValue;
    }

    /** The longest run the series has held its {@link #habitValue()} for as a habit; 0 when it has none. */
    public int habitRun() {
        return habitRun;
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

    /**
     * The level, {@code -log10} of a tail probability, at which a reading is anomalous: the alarm level
     * {@link AnomalyLikelihood#RED} (p = 1e-5) times the operators' {@link #thresholdFactor()}. A reading's score is
     * 0.5 there.
     */
    public double alarmLevel() {
        return AnomalyLikelihood.RED * thresholdFactor;
    }

    /**
     * The threshold in force on the smoothed prediction error, in scaled units: the error at which its learned tail
     * (SPOT's, once calibrated) reaches the {@link #alarmLevel()}; while SPOT re-calibrates after a model swap, the
     * previous tail's alarm point times the factor; 0 before any is learned.
     */
    public double threshold() {
        if (spot.calibrated()) {
            return spot.quantile(Math.pow(10, -Math.min(alarmLevel(), Spot.MAX_TAIL_LEVEL)));
        }
        return fallbackThreshold * thresholdFactor;
    }

    /** {@link #threshold()} without operators' feedback: the error at which the learned tail reaches the level RED. */
    public double learnedThreshold() {
        if (spot.calibrated()) {
            return spot.quantile(Math.pow(10, -AnomalyLikelihood.RED));
        }
        return fallbackThreshold;
    }

    /**
     * Half the width of the band around the expected value inside which the prediction error alone does not alarm, in
     * the series' units: the threshold times the scaler's standard deviation; 0 before a threshold is learned.
     */
    public double bandHalfWidth() {
        return threshold() * scaler.std();
    }

    void remember(double value) {
        if (windowSize == window.length) {
            System.arraycopy(window, 1, window, 0, window.length - 1);
            window[window.length - 1] = value;
        } else {
            window[windowSize++] = value;
        }
    }

    /** The layout {@link #writePacked} writes (see {@link StateFields}); a new field comes with the next. */
    public static final int LAYOUT = 7;

    /**
     * The series' fields, in the store's layout order, under the names of the readable view: counters, scaler,
     * prediction, model version, error, repeats, the recurrent state, the recent values, the threshold, the episode, the
     * likelihood, the last score, the operators' feedback (threshold factor, false alarms, confirmations), the stuck-run
     * habit, the episode's hold, and the last arrival, the silence and the last episode feedback was taken for. The first
     * four and the last three are 8 bytes in every layout: {@code PackedSeriesState} reads them in place. The recurrent
     * state is kept at float precision in the store (the tolerance test bounds what that does to detection), the recent
     * values, which only re-warm a new model, as 16-bit fractions of their range (each within 2^-17 of it). Fields added after layout 1 carry the layout they appeared in and their value in older
     * ones.
     */
    public void fields(StateFields f) {
        readings = f.int64("readings", readings);
        lastTimestamp = f.int64("lastTimestamp", lastTimestamp);
        lastValue = f.float64("lastValue", lastValue);
        typicalGap = f.float64("typicalGap", typicalGap);
        scaler.fields(f, "scalerCount", "scalerMean", "scalerVar", false);
        hasPrediction = f.bool("hasPrediction", hasPrediction);
        expected = f.float64("prediction", expected);
        baselineLevel = f.float64("baselineLevel", baselineLevel);
        modelVersion = f.count("modelVersion", modelVersion);
        smoothedError = f.float64("smoothedError", smoothedError);
        fallbackThreshold = f.float64("fallbackThreshold", fallbackThreshold, 0);
        repeatRun = f.int32("repeatRun", repeatRun);
        longestRepeatRun = f.int32("longestRepeatRun", longestRepeatRun);
        lastStuckRun = f.int32("lastStuckRun", lastStuckRun);
        double[] r = f.doubles("recurrent", recurrent, recurrent.length);
        if (f.reading()) {
            recurrent = f.length() == r.length ? r : java.util.Arrays.copyOf(r, f.length());
        }
        double[] w = f.ranged("recentValues", window, windowSize);
        if (f.reading()) {
            // A window longer than this state's keeps its newest values.
            int skip = Math.max(0, f.length() - window.length);
            if (w != window || skip > 0) {
                System.arraycopy(w, skip, window, 0, f.length() - skip);
            }
            windowSize = f.length() - skip;
        }
        spot.fields(f);
        episodes.fields(f);
        if (f.has(2)) {
            likelihood.fields(f);
            lastScore = f.float32("lastScore", lastScore);
            thresholdFactor = f.float64("thresholdFactor", thresholdFactor, 1);
            falseAlarms = f.int32("falseAlarms", falseAlarms);
            confirmations = f.int32("confirmations", confirmations);
        } else {
            likelihood.reset();
            lastScore = 0;
            thresholdFactor = 1;
            falseAlarms = 0;
            confirmations = 0;
        }
        if (f.has(3)) {
            lastStuckValue = f.float64("lastStuckValue", lastStuckValue, 0);
            habitValue = f.float64("habitValue", habitValue, 0);
            habitRun = f.int32("habitRun", habitRun);
            if (habitRun < 0) {
                throw new IllegalArgumentException("series state: negative habitual run " + habitRun);
            }
        } else {
            lastStuckValue = 0;
            habitValue = 0;
            habitRun = 0;
        }
        if (f.has(4)) {
            episodeAge = f.int32("episodeAge", episodeAge);
            heldEpisode = f.bool("episodeHeld", heldEpisode);
            episodeOffset = f.float64("episodeOffset", episodeOffset, 0);
            offsetReadings = f.int32("episodeOffsetReadings", offsetReadings);
            if (episodeAge < 0 || offsetReadings < 0) {
                throw new IllegalArgumentException("series state: negative episode age " + episodeAge + " or offset readings "
                        + offsetReadings);
            }
        } else {
            // An episode open in an older layout is not held: it goes on as it began.
            episodeAge = episodes.open() ? Integer.MAX_VALUE : 0;
            heldEpisode = false;
            episodeOffset = 0;
            offsetReadings = 0;
        }
        if (f.has(5)) {
            lastArrival = f.time("lastArrival", lastArrival, NOT_ARRIVED);
            silentSince = f.time("silentSince", silentSince, NOT_SILENT);
            feedbackEpisode = f.time("feedbackEpisode", feedbackEpisode, NO_FEEDBACK);
        } else {
            lastArrival = NOT_ARRIVED;
            silentSince = NOT_SILENT;
            feedbackEpisode = NO_FEEDBACK;
        }
    }

    /** Bytes {@link #writePacked} writes. */
    public int packedSize() {
        return packedSize(LAYOUT);
    }

    /** Bytes {@link #writePacked(PackedBytes, int)} writes in {@code layout}. */
    public int packedSize(int layout) {
        PackedBytes counter = new PackedBytes().counting();
        fields(PackedFields.writer(counter, layout));
        return counter.position();
    }

    /** Writes the state in the store's binary layout ({@link #fields}). Allocates nothing. */
    public void writePacked(PackedBytes b) {
        writePacked(b, LAYOUT);
    }

    /** Writes the state in an older layout still understood (from {@link PackedFields#OLDEST_WRITTEN}), for tests of migration. */
    public void writePacked(PackedBytes b, int layout) {
        fields(PackedFields.writer(b, layout));
    }

    /**
     * Replaces this state with one written by {@link #writePacked}, reusing this instance's arrays (the recurrent state
     * is reallocated only when its size differs): a window longer than this state's keeps its newest values.
     */
    public SeriesState readPacked(PackedBytes b) {
        return readPacked(b, LAYOUT);
    }

    /**
     * As {@link #readPacked(PackedBytes)}, for a state written in an older layout: 1 had no anomaly likelihood (it
     * starts afresh, the last score is 0 and there is no feedback), 2 no stuck-run habit (none yet), 3 no episode
     * offset (none) and the likelihood's rings in write order rather than oldest first, 4 no arrival time (not known), no
     * silence and no record of feedback taken (neither yet), 5 every number at full width, 6 the recent values as half
     * steps.
     */
    public SeriesState readPacked(PackedBytes b, int layout) {
        if (layout < 1 || layout > LAYOUT) {
            throw new IllegalArgumentException("unknown packed series state layout " + layout);
        }
        fields(PackedFields.reader(b, layout));
        return this;
    }

    /** The readable view of this state: every field by name (see {@link ViewFields}). */
    public java.util.Map<String, Object> view() {
        java.util.Map<String, Object> view = ViewFields.newView();
        fields(ViewFields.of(view));
        return view;
    }

    /** A state read from its readable {@link #view()}. */
    public static SeriesState fromView(DetectorSettings settings, java.util.Map<String, Object> view) {
        SeriesState s = new SeriesState(settings);
        s.fields(ViewFields.from(view));
        return s;
    }
}
