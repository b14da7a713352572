package io.seismo.detect;

/**
 * The anomaly likelihood of a series' readings, after Numenta's (Ahmad et al. 2017, NAB's HTM detector), in about
 * 600 bytes per series. Two channels, each a short-term level against its own long-term distribution:
 * <ul>
 *   <li>the prediction error: the mean of {@code ln(1 + error)} over the last {@link #WINDOW} scored readings;</li>
 *   <li>the time of day: the value against what the series does in the same half hour of the UTC day
 *       ({@link #DAY_BINS} bins, each an exponentially weighted mean and variance of the values that fell in it), as
 *       {@code ln(1 + |value - bin mean| / bin sd)}, averaged the same way, once the bin has seen {@link #BIN_MIN}
 *       values. A next-value predictor forgives a changed daily shape as soon as its input catches up; this does not.</li>
 * </ul>
 * Each channel's long-term distribution is an exponentially weighted mean and variance over about {@link #HORIZON}
 * readings. The level's Gaussian upper-tail probability p is kept as {@code -log10 p} (computed in log space, so a
 * heavy tail does not underflow to p = 0 and every extreme reading to the same score); a reading's level is the
 * higher of the two. It also keeps the range of values the series has shown, so the judgement can tell a value outside
 * it (by more than {@link #RANGE_TOLERANCE} of it), as NAB's HTM detector does. The long-term distributions learn at
 * {@link #learn}, which a held anomaly episode skips: a sustained anomaly does not teach the channels that its errors
 * are ordinary. Mutable; owned with its series' state.
 */
public final class AnomalyLikelihood {
    /** Scored readings whose transformed errors are averaged into the short-term level. */
    public static final int WINDOW = 10;
    /** Readings after which the long-term mean and variance forget exponentially. */
    static final int HORIZON = 2000;
    /** Scored readings (and readings, for the value range) before any level is reported. */
    static final int LEARNING = 100;
    /** {@code -log10} of the tail probability at which a level is alarming (p = 1e-5); the score is 0.5 there. */
    public static final double RED = 5;
    /** The level of a stuck sensor (p = 1e-8). */
    public static final double EXTREME = 8;
    /** Share of the series' range by which a value must leave it to count as outside. */
    static final double RANGE_TOLERANCE = 0.05;
    /** Floor of a long-term variance, so a series that was perfectly predicted has a scale. */
    static final double MIN_VARIANCE = 1e-12;
    /** Bins of the UTC day for the time-of-day channel: half hours. */
    public static final int DAY_BINS = 48;
    /** Weight of the newest value in its bin's mean and variance (about the last ten days). */
    static final double BIN_ALPHA = 0.1;
    /** Values a bin must have seen before the time-of-day channel judges a value by it. */
    static final int BIN_MIN = 3;
    /** Where a bin's count of values saturates: only whether it reached {@link #BIN_MIN} matters. */
    static final int BIN_COUNT_MAX = 15;
    /** Floor of a bin's standard deviation, as a share of the series' range (a flat series' bins have none). */
    static final double BIN_SD_FLOOR = 1e-3;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final double LN10 = Math.log(10);

    private final Level errors;
    private final Level daily;
    private final float[] binMeans;
    private final float[] binVariances;
    private final byte[] binCounts;
    /** The channels' levels of the last scored reading: not state, read right after {@link #level}. */
    private double lastErrorLevel;
    private double lastDailyLevel;
    /** Whether {@link #level} scored a reading that {@link #learn} has not learned yet: not state. */
    private boolean leveled;
    private double lowest;
    private double highest;

    AnomalyLikelihood() {
        this(LikelihoodState.empty());
    }

    private AnomalyLikelihood(LikelihoodState s) {
        if (s.recentErrors().length != WINDOW || s.recentDaily().length != WINDOW) {
            throw new IllegalArgumentException("likelihood state holds " + s.recentErrors().length + " and " + s.recentDaily().length
                    + " recent levels, expected " + WINDOW);
        }
        if (s.binMeans().length != DAY_BINS || s.binVariances().length != DAY_BINS || s.binCounts().length != DAY_BINS) {
            throw new IllegalArgumentException("likelihood state must hold " + DAY_BINS + " day bins");
        }
        errors = new Level(s.recentErrors().clone(), s.observations(), s.mean(), s.variance());
        daily = new Level(s.recentDaily().clone(), s.dailyObservations(), s.dailyMean(), s.dailyVariance());
        binMeans = s.binMeans().clone();
        binVariances = s.binVariances().clone();
        binCounts = s.binCounts().clone();
        for (int i = 0; i < DAY_BINS; i++) {
            binCounts[i] = (byte) Math.min(binCounts[i], BIN_COUNT_MAX);
        }
        lowest = s.lowest();
        highest = s.highest();
    }

    /** Restores from a snapshot. */
    static AnomalyLikelihood restore(LikelihoodState s) {
        return new AnomalyLikelihood(s);
    }

    LikelihoodState snapshot() {
        return new LikelihoodState(errors.recent.clone(), errors.observations(), errors.longTerm.mean(), errors.longTerm.variance(),
                lowest, highest, daily.recent.clone(), daily.observations(), daily.longTerm.mean(), daily.longTerm.variance(),
                binMeans.clone(), binVariances.clone(),
                binCounts.clone());
    }

    /**
     * Scores one reading: {@code -log10} of the probability that the short-term level of either channel is this high
     * under its long-term distribution (the higher); 0 while learning. The reading joins the channels' short-term
     * windows; {@link #learn} then decides what the long-term distributions and the day bins learn from it.
     *
     * @param error     the reading's error, non-negative
     * @param value     the reading
     * @param timestamp its event time, epoch millis
     */
    double level(double error, double value, long timestamp) {
        double level = errors.next(Math.log1p(error));
        int bin = dayBin(timestamp);
        boolean known = binCounts[bin] >= BIN_MIN;
        double deviation = 0;
        if (known) {
            double range = highest - lowest;
            double sdFloor = BIN_SD_FLOOR * range;
            deviation = Math.abs(value - binMeans[bin]) / Math.sqrt(binVariances[bin] + MIN_VARIANCE + sdFloor * sdFloor);
        }
        double dailyLevel = daily.next(Math.log1p(deviation));
        leveled = true;
        lastErrorLevel = level;
        lastDailyLevel = known ? dailyLevel : 0;
        return known ? Math.max(level, dailyLevel) : level;
    }

    /**
     * Learns from the reading {@link #level} last scored (nothing if it scored none since): the value joins its half
     * hour's bin and, unless {@code hold}, both channels' short-term levels join their long-term distributions. The value
     * is what the series learns as normal, which for a reading inside a held episode is not the value observed.
     */
    void learn(double value, long timestamp, boolean hold) {
        if (!leveled) {
            return;
        }
        leveled = false;
        int bin = dayBin(timestamp);
        if (binCounts[bin] == 0) {
            binMeans[bin] = (float) value;
        } else {
            double d = value - binMeans[bin];
            binMeans[bin] = (float) (binMeans[bin] + BIN_ALPHA * d);
            binVariances[bin] = (float) ((1 - BIN_ALPHA) * (binVariances[bin] + BIN_ALPHA * d * d));
        }
        if (binCounts[bin] < BIN_COUNT_MAX) {
            binCounts[bin]++;
        }
        if (!hold) {
            errors.commit();
            daily.commit();
        }
    }

    private static int dayBin(long timestamp) {
        return (int) (Math.floorMod(timestamp, DAY_MILLIS) * DAY_BINS / DAY_MILLIS);
    }

    /** The error channel's part of the last {@link #level}. */
    double lastErrorLevel() {
        return lastErrorLevel;
    }

    /** The time-of-day channel's part of the last {@link #level}: 0 when its bin was not known yet. */
    double lastDailyLevel() {
        return lastDailyLevel;
    }

    /**
     * Whether a value lies outside the range of the values seen before it, by more than the tolerance; false for the
     * first {@link #LEARNING} readings.
     *
     * @param readings readings the series has had before this one
     */
    boolean outsideRange(double value, long readings) {
        if (readings <= LEARNING) {
            return false;
        }
        double tolerance = RANGE_TOLERANCE * (highest - lowest);
        return value > highest + tolerance || value < lowest - tolerance;
    }

    /** Widens the range to a value; the first reading sets it. */
    void include(double value, long readings) {
        if (readings == 0) {
            lowest = value;
            highest = value;
        } else {
            lowest = Math.min(lowest, value);
            highest = Math.max(highest, value);
        }
    }

    /** The anomaly score of a level: in [0, 1), 0.5 at {@link #RED}, monotone, never saturating. */
    public static double score(double level) {
        return level <= 0 ? 0 : level / (level + RED);
    }

    /** {@code log10} of the standard normal upper-tail probability Q(z), accurate far into the tail (no underflow). */
    public static double log10UpperTail(double z) {
        return (Math.log(0.5) + logErfc(z / Math.sqrt(2))) / LN10;
    }

    /**
     * {@code ln erfc(x)}: Numerical Recipes' Chebyshev fit {@code erfc(x) = t exp(-x^2 + P(t))}, t = 1/(1 + x/2)
     * (relative error below 1.2e-7 for x >= 0), taken in log space; erfc(x) = 2 - erfc(-x) below 0.
     */
    static double logErfc(double x) {
        if (x < 0) {
            return Math.log(2 - Math.exp(logErfc(-x)));
        }
        double t = 1 / (1 + 0.5 * x);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
                + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        return Math.log(t) - x * x + poly;
    }

    /**
     * The likelihood's fields: the error channel (its ring of recent levels, oldest first, then its long-term count, mean
     * and variance), the value range, the time-of-day channel, the day bins' means, variances and counts. The rings and
     * the bins' means are kept in float, as the live state keeps them (a short-term level can sit far above its
     * long-term spread: 3 digits of it are not enough), the bins' variances to 3 significant digits (a bin's spread
     * enters as its square root), the channels' long-term means and variances (of levels of order 1) in float. From
     * layout 6 the bins' counts come first, and a bin that has seen nothing stores no mean or variance (both are 0). In layouts before 4 the rings
     * were kept in write order and a count of readings since the last alarm followed the error channel.
     */
    void fields(StateFields f) {
        errors.fields(f, "likelihoodErrors", "likelihoodObservations", "likelihoodMean", "likelihoodVariance");
        if (f.layout() < 4) {
            f.int32("readingsSinceAlarm", 0);
        }
        lowest = f.float64("valueLowest", lowest);
        highest = f.float64("valueHighest", highest);
        daily.fields(f, "dailyErrors", "dailyObservations", "dailyMean", "dailyVariance");
        if (f.reading() && f.layout() < 4) {
            errors.unrotate();
            daily.unrotate();
        }
        if (f.has(StateFields.COMPACT)) {
            // The counts first: a bin that has seen nothing has a mean and a variance of 0, which are not stored.
            expectSame(f.nibbles("dayBinCounts", binCounts, DAY_BINS), binCounts, f, "day bin counts");
            expectSame(f.floatsWhere("dayBinMeans", binMeans, DAY_BINS, binCounts, false), binMeans, f, "day bin means");
            expectSame(f.floatsWhere("dayBinVariances", binVariances, DAY_BINS, binCounts, true), binVariances, f, "day bin variances");
        } else {
            expectSame(f.floats("dayBinMeans", binMeans, DAY_BINS), binMeans, f, "day bin means");
            expectSame(f.halves("dayBinVariances", binVariances, DAY_BINS), binVariances, f, "day bin variances");
            expectSame(f.nibbles("dayBinCounts", binCounts, DAY_BINS), binCounts, f, "day bin counts");
        }
    }

    private static void expectSame(Object read, Object own, StateFields f, String what) {
        expectLength(read == own ? f.length() : -1, java.lang.reflect.Array.getLength(own), what);
    }

    /** Back to the state of a series never scored, keeping the arrays. */
    void reset() {
        java.util.Arrays.fill(errors.recent, 0f);
        errors.longTerm.reset();
        java.util.Arrays.fill(daily.recent, 0f);
        daily.longTerm.reset();
        java.util.Arrays.fill(binMeans, 0f);
        java.util.Arrays.fill(binVariances, 0f);
        java.util.Arrays.fill(binCounts, (byte) 0);
        LikelihoodState empty = LikelihoodState.empty();
        lowest = empty.lowest();
        highest = empty.highest();
    }

    private static void expectLength(int length, int expected, String what) {
        if (length != expected) {
            throw new IllegalArgumentException("likelihood state: " + what + " holds " + length + " values, expected " + expected);
        }
    }

    /**
     * One channel: a short-term mean over a ring of the last {@link #WINDOW} inputs, against its long-term distribution
     * (the same running mean and variance as the series' scaler, forgetting after {@link #HORIZON} readings).
     */
    private static final class Level {
        /** The last {@link #WINDOW} inputs, oldest first (zeros before there were that many). */
        final float[] recent;
        final OnlineScaler longTerm;
        /** The short-term mean after the last input: not state, learned at {@link #commit}. */
        private double shortTerm;

        Level(float[] recent, long observations, double mean, double variance) {
            this.recent = recent;
            this.longTerm = OnlineScaler.restore(HORIZON, new ScalerState(observations, mean, variance));
        }

        long observations() {
            return longTerm.count();
        }

        /** The ring, then the long-term count, mean and variance, under the names given. */
        void fields(StateFields f, String ring, String count, String mean, String variance) {
            expectSame(f.floats(ring, recent, WINDOW), recent, f, ring);
            longTerm.fields(f, count, mean, variance, true);
        }

        /**
         * {@code -log10} of the upper-tail probability of the short-term mean after adding x to the recent ring; 0 while
         * learning. The long-term distribution learns the short-term mean only at {@link #commit}.
         */
        double next(double x) {
            System.arraycopy(recent, 1, recent, 0, WINDOW - 1);
            recent[WINDOW - 1] = (float) x;
            int held = (int) Math.min(longTerm.count() + 1, WINDOW);
            double sum = 0;
            for (int i = WINDOW - held; i < WINDOW; i++) {
                sum += recent[i];
            }
            shortTerm = sum / held;
            double level = 0;
            if (longTerm.count() >= LEARNING) {
                level = -log10UpperTail((shortTerm - longTerm.mean()) / Math.sqrt(Math.max(longTerm.variance(), MIN_VARIANCE)));
            }
            return level;
        }

        /**
         * Puts a ring written in the older layout, where the newest value went to position {@code count % WINDOW}, in
         * order, oldest first.
         */
        void unrotate() {
            int oldest = (int) (longTerm.count() % WINDOW);
            float[] copy = recent.clone();
            for (int i = 0; i < WINDOW; i++) {
                recent[i] = copy[(oldest + i) % WINDOW];
            }
        }

        /** The long-term distribution learns the last short-term mean. */
        void commit() {
            longTerm.update(shortTerm);
        }
    }
}
