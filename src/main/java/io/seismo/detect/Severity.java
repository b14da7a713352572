package io.seismo.detect;

/**
 * How far an anomalous error is beyond its threshold. Bands of {@code error / threshold}:
 * below 1.5 LOW, below 2.5 MEDIUM, below 4 HIGH, otherwise CRITICAL. Ratios, not scores, because
 * the score saturates towards 1 while operators reason in "how many times the normal band".
 */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    public static final double MEDIUM_FROM = 1.5;
    public static final double HIGH_FROM = 2.5;
    public static final double CRITICAL_FROM = 4.0;

    /** Severity of an error that is {@code errorOverThreshold} times the threshold. */
    public static Severity of(double errorOverThreshold) {
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
    public static Severity ofOrdinal(int ordinal) {
        Severity[] all = values();
        if (ordinal < 0 || ordinal >= all.length) {
            throw new IllegalArgumentException("severity ordinal must be in [0, " + (all.length - 1) + "], got " + ordinal);
        }
        return all[ordinal];
    }
}
