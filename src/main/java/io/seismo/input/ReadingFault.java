package io.seismo.input;

/**
 * Why a record of the readings topic is not a usable reading. Each name is the detector's dead-letter reason code for it
 * (the {@code seismo.reason} header); docs/reliability.md lists the inputs behind each.
 */
public enum ReadingFault {
    /** The value is not a valid reading: not in the readings' format, truncated, corrupt, or with bytes after the record. */
    UNDECODABLE,
    /** The value names a schema (fingerprint or registry id) the reader does not know: another type, or a newer schema. */
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
    TIMESTAMP_OUT_OF_RANGE
}
