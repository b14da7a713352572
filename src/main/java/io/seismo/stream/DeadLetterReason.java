package io.seismo.stream;

import io.seismo.input.ReadingFault;

/**
 * Why a record (a reading, or an operator's feedback) went to the dead-letter topic; the code is carried in the record and in the {@code seismo.reason} header.
 * docs/reliability.md lists the inputs behind each code.
 *
 * <p>The first nine codes, {@link #UNDECODABLE} to {@link #TIMESTAMP_OUT_OF_RANGE}, are the {@link ReadingFault}s of a
 * reading under their names ({@link #of}), each described there; a feedback record that cannot be decoded, has no key
 * or value, or is keyed by another series than it names is dead-lettered under the same codes.
 */
public enum DeadLetterReason {
    // A reading's faults: ReadingFault's constants, in its order.
    UNDECODABLE, UNKNOWN_SCHEMA, NULL_KEY, KEY_TOO_LONG, NULL_VALUE, KEY_MISMATCH, NON_FINITE_VALUE, VALUE_OUT_OF_RANGE,
    TIMESTAMP_OUT_OF_RANGE,
    /** The timestamp is not after the series' previous reading (out of order or duplicate). */
    OUT_OF_ORDER,
    /** A feedback record names a series the detector holds no state for. */
    UNKNOWN_SERIES,
    /**
     * Feedback the series' state refuses: its time is not inside the series' latest anomaly episode, or that episode
     * already had a verdict (one per episode, so repeated posts cannot raise a threshold).
     */
    FEEDBACK_REFUSED,
    /** Processing the reading failed unexpectedly; the message says how. */
    PROCESSING_ERROR,
    /**
     * The series' stored state could not be decoded (corrupt bytes in the store): the reading is not judged, the state is
     * discarded (its bytes ride along in the {@code seismo.state} header) and the series restarts from a fresh state with
     * its next reading.
     */
    STATE_UNREADABLE,
    /** The series' state, advanced by the reading, could not be encoded: the reading is not judged, the stored state stays as it was. */
    STATE_UNWRITABLE,
    /**
     * The broker refused an output of the record (too large, a timestamp outside the topic's bounds): the record is
     * dead-lettered instead, in a form the broker accepts (timestamp clamped to the wall clock, payload left out when the
     * dead letter itself was refused); the reason names the refusal.
     */
    OUTPUT_REFUSED;

    /** The code a reading is dead-lettered under for a fault {@link io.seismo.input.ReadingCheck} found: its namesake. */
    public static DeadLetterReason of(ReadingFault fault) {
        return switch (fault) {
            case UNDECODABLE -> UNDECODABLE;
            case UNKNOWN_SCHEMA -> UNKNOWN_SCHEMA;
            case NULL_KEY -> NULL_KEY;
            case KEY_TOO_LONG -> KEY_TOO_LONG;
            case NULL_VALUE -> NULL_VALUE;
            case KEY_MISMATCH -> KEY_MISMATCH;
            case NON_FINITE_VALUE -> NON_FINITE_VALUE;
            case VALUE_OUT_OF_RANGE -> VALUE_OUT_OF_RANGE;
            case TIMESTAMP_OUT_OF_RANGE -> TIMESTAMP_OUT_OF_RANGE;
        };
    }
}
