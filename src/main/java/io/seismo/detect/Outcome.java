package io.seismo.detect;

/** What {@link Spot#observe(double)} made of one value. */
public enum Outcome {
    /** Still collecting the calibration set (or, with DSPOT, the initial drift window). */
    CALIBRATING,
    /** At or below the peak threshold t. */
    NORMAL,
    /** Above t but not above the alarm threshold z_q: learned as a peak, the tail is refitted. */
    PEAK,
    /** Above z_q: anomalous. The model is not updated by it. */
    ALARM
}
