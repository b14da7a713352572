package io.seismo.stream;

import io.seismo.input.ReadingFault;

/**
 * Why a record (a reading, or an operator's feedback) went to the dead-letter topic; the code is carried in the record and in the {@code seismo.reason} header.
 * docs/reliability.md lists the inputs behind each code.
 */
public enum DeadLetterReason {
    /** The value is not a valid Avro Reading: not single-object encoded, truncated, corrupt, or with bytes after the record. */
    UNDECODABLE,
    /** The value is single-object encoded with a schema fingerprint this detector does not know (another or a newer schema). */
    UNKNOWN_SCHEMA,
    /** The record has no key, or an empty one: readings are keyed by series. */
    NULL_KEY,
    /** The key is longer than {@code input.max.key.bytes}. */
    KEY_TOO_LONG,
    /** The record has no value (a tombstone makes no sense on the readings topic). */
    NULL_VALUE,
    /** The key is not the series id carried in the value (byte for byte, as UTF-8). */
    KEY_MISMATCH,
    /** The value is NaN or infinite. */
    NON_FINITE_VALUE,
    /** The value's magnitude is beyond {@code input.max.abs.value}. */
    VALUE_OUT_OF_RANGE,
    /**
     * The timestamp is before 1970, more than {@code input.max.future.ms} ahead of its record's timestamp or the detector's
     * clock, or more than {@code input.max.past.ms} (when set) behind the clock.
     */
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
