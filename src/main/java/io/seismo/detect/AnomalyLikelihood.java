package io.seismo.detect;

/**
 * The anomaly likelihood of a series' errors, after Numenta's (Ahmad et al. 2017, NAB's HTM detector), in a few
 * hundred bytes per series. The short-term level is the mean of {@code ln(1 + error)} over the last {@link #WINDOW}
 * scored readings; its long-term distribution is an exponentially weighted mean and variance over about
 * {@link #HORIZON} readings. The level's Gaussian upper-tail probability p is kept as {@code -log10 p} (computed in log
 * space, so a heavy tail does not underflow to p = 0 and every extreme reading to the same score). A reading whose
 * value lies outside the range the series has shown (by more than {@link #RANGE_TOLERANCE} of it) counts as
 * {@link #EXTREME}, as in NAB's HTM detector. Numenta's filter, widened to the short-term window, keeps only the onset
 * of a run: a reading past {@link #RED} within {@link #WINDOW} readings of another (whose errors it still averages)
 * is reported at {@link #YELLOW}, so a sustained error costs one row, not every row.
 * Mutable; owned with its series' state.
 */
public final class AnomalyLikelihood {
    /** Scored readings whose transformed errors are averaged into the short-term level. */
    public static final int WINDOW = 10;
    /** Readings after which the long-term mean and variance forget exponentially. */
    static final double HORIZON = 2000;
    /** Scored readings (and readings, for the value range) before any level is reported. */
    static final int LEARNING = 100;
    /** {@code -log10} of the tail probability at which a level is alarming (p = 1e-5); the score is 0.5 there. */
    public static final double RED = 5;
    /** The level reported for an alarming reading that follows another (p = 1e-3). */
    public static final double YELLOW = 3;
    /** The level of a reading outside the series' range, or of a stuck sensor (p = 1e-8). */
    public static final double EXTREME = 8;
    /** Share of the series' range by which a value must leave it to count as outside. */
    static final double RANGE_TOLERANCE = 0.05;
    /** Floor of the long-term variance (of ln(1 + error)), so a series that was perfectly predicted has a scale. */
    static final double MIN_VARIANCE = 1e-12;
    private static final double LN10 = Math.log(10);

    private final double[] recent = new double[WINDOW];
    private long observations;
    private double mean;
    private double variance;
    private int sinceAlarm = WINDOW + 1;
    private double lowest;
    private double highest;

    AnomalyLikelihood() {
    }

    /** Restores from a snapshot. */
    static AnomalyLikelihood restore(LikelihoodState s) {
        AnomalyLikelihood l = new AnomalyLikelihood();
        if (s.recentErrors().length != WINDOW) {
            throw new IllegalArgumentException("likelihood state holds " + s.recentErrors().length + " errors, expected " + WINDOW);
        }
        System.arraycopy(s.recentErrors(), 0, l.recent, 0, WINDOW);
        l.observations = s.observations();
        l.mean = s.mean();
        l.variance = s.variance();
        if (s.sinceAlarm() < 0 || s.sinceAlarm() > WINDOW + 1) {
            throw new IllegalArgumentException("readings since the last alarm must be in [0, " + (WINDOW + 1) + "], got " + s.sinceAlarm());
        }
        l.sinceAlarm = s.sinceAlarm();
        l.lowest = s.lowest();
        l.highest = s.highest();
        return l;
    }

    LikelihoodState snapshot() {
        return new LikelihoodState(recent.clone(), observations, mean, variance, sinceAlarm, lowest, highest);
    }

    /**
     * Scores one error and learns from it: {@code -log10} of the probability that the short-term level is this high
     * under the long-term distribution; 0 while learning.
     *
     * @param error the reading's error, non-negative
     */
    double level(double error) {
        recent[(int) (observations % WINDOW)] = Math.log1p(error);
        int held = (int) Math.min(observations + 1, WINDOW);
        double sum = 0;
        for (int i = 0; i < held; i++) {
            sum += recent[i];
        }
        double shortTerm = sum / held;
        double level = 0;
        if (observations >= LEARNING) {
            level = -log10UpperTail((shortTerm - mean) / Math.sqrt(Math.max(variance, MIN_VARIANCE)));
        }
        observations++;
        double a = Math.max(1.0 / observations, 1.0 / HORIZON);
        double d = shortTerm - mean;
        mean += a * d;
        variance = (1 - a) * (variance + a * d * d);
        return level;
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

    /**
     * Numenta's filter: the level to report, {@link #YELLOW} at most for an alarming level within {@link #WINDOW}
     * readings of the last alarming one.
     */
    double report(double level) {
        sinceAlarm = Math.min(sinceAlarm + 1, WINDOW + 1);
        if (level < RED) {
            return level;
        }
        double reported = sinceAlarm <= WINDOW ? Math.min(level, YELLOW) : level;
        sinceAlarm = 0;
        return reported;
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
}
