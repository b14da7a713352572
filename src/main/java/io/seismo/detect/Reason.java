package io.seismo.detect;

/**
 * Which channel of the judgement carried a reading's score: the one whose tail probability was the smallest. Every
 * channel is a level on one scale ({@code -log10} of a tail probability), so the reason is the channel that decided.
 */
public enum Reason {
    /** Not scored, or no channel above nothing. */
    NONE,
    /** The error of the next-value prediction: its calibrated tail (SPOT) or its short-term level (the likelihood). */
    PREDICTION_ERROR,
    /** The value against the series' learned profile for the same time of day. */
    DAILY_PROFILE,
    /** The value outside every value the series has shown, by more than a twentieth of its range. */
    OUT_OF_RANGE,
    /** The same value repeated for longer than the series ever repeats one. */
    STUCK_SENSOR,
    /**
     * The series stopped reporting: nothing came for {@code detect.silence.after} times its typical gap. Opened by the
     * clock, not by a reading; the next reading closes it.
     */
    SILENT
}
