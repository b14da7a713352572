package io.seismo.detect;

/**
 * How far an anomalous reading is beyond the alarm. The judgement's level is {@code -log10} of a tail probability, and
 * the ratio r of the level to the alarm level (score {@code r / (r + 1)}, so the score s gives r = s / (1 - s)) is
 * banded: below 1.5 LOW, below 2.5 MEDIUM, below 4 HIGH, otherwise CRITICAL. At the default alarm level 5 (p = 1e-5),
 * MEDIUM starts at p = 3e-8, HIGH at 3e-13, CRITICAL at 1e-20; in scores, at 0.6, 0.714 and 0.8.
 */
public enum SeverityBand {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    public static final double MEDIUM_FROM = 1.5;
    public static final double HIGH_FROM = 2.5;
    public static final double CRITICAL_FROM = 4.0;

    /** SeverityBand of a score in [0, 1): monotone, LOW below the alarm's 0.5. */
    public static SeverityBand ofScore(double score) {
        if (!(score >= 0 && score < 1)) {
            throw new IllegalArgumentException("score must be in [0, 1), got " + score);
        }
        return of(score / (1 - score));
    }

    /** SeverityBand of a level that is {@code errorOverThreshold} times the alarm level. */
    public static SeverityBand of(double errorOverThreshold) {
        if (Double.isNaN(errorOverThreshold)) {
            throw new IllegalArgumentException("errorOverThreshold must not be NaN");
        }
        if (errorOverThreshold < MEDIUM_FROM) {
            return LOW;
        }
        if (errorOverThreshold < HIGH_FROM) {
            return MEDIUM;
        }
        if (errorOverThreshold < CRITICAL_FROM) {
            return HIGH;
        }
        return CRITICAL;
    }

    /** Inverse of {@link #ordinal()}, for restoring persisted state. */
    public static SeverityBand ofOrdinal(int ordinal) {
        SeverityBand[] all = values();
        if (ordinal < 0 || ordinal >= all.length) {
            throw new IllegalArgumentException("severity ordinal must be in [0, " + (all.length - 1) + "], got " + ordinal);
        }
        return all[ordinal];
    }
}
