package io.seismo.release;

/** Why a model release was refused; the tag of {@code seismo_model_rejections_total}. */
public enum RejectionReason {
    /** Not a {@code ModelRelease} in single-object encoding, or a record missing what a release must have. */
    UNDECODABLE,
    /** A version outside [1, {@link ModelReleases#MAX_VERSION}], or a parent version not below it. */
    VERSION_OUT_OF_RANGE,
    /** The record's {@code weightsChecksum} is not the CRC32 of its weights blob. */
    CHECKSUM_MISMATCH,
    /** The weights blob itself is malformed: magic, format version, lengths, sizes or its own checksum. */
    CORRUPT_WEIGHTS,
    /** A cell, input size, hidden size or layer count other than the detector's configured model. */
    SHAPE_MISMATCH,
    /** Inputs (value, time of day, day of week) other than the configured ones. */
    INPUTS_MISMATCH,
    /** Anything else that failed while applying the release. */
    FAILED
}
