package io.seismo.stream;

/** Why a record went to the dead-letter topic; the code is carried in the record and in the {@code seismo.reason} header. */
public enum DeadLetterReason {
    /** The value is not a valid Avro Reading of a known schema. */
    UNDECODABLE,
    /** The record has no key: readings are keyed by series. */
    NULL_KEY,
    /** The record has no value (a tombstone makes no sense on the readings topic). */
    NULL_VALUE,
    /** The key is not the series id carried in the value. */
    KEY_MISMATCH,
    /** The value is NaN or infinite. */
    NON_FINITE_VALUE,
    /** The timestamp is not after the series' previous reading (out of order or duplicate). */
    OUT_OF_ORDER,
    /** Processing the reading failed unexpectedly; the message says how. */
    PROCESSING_ERROR
}
