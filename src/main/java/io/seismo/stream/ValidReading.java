package io.seismo.stream;

import io.seismo.schema.Reading;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A reading that passed {@link ReadingValidator}, with the record it arrived as, so that a later processor can still
 * dead-letter the original bytes (not a re-encoding of them).
 *
 * @param reading         the decoded reading; its series is the record key
 * @param key             the original key bytes
 * @param value           the original value bytes
 * @param sourceTimestamp the input record's own timestamp (not the reading's event time)
 */
public record ValidReading(Reading reading, byte[] key, byte[] value, long sourceTimestamp) {
    /**
     * Writes a valid reading as the bytes it arrived as: the training topic carries readings in the readings topic's
     * format ({@code serde.format}), and the detector spends nothing re-encoding them.
     */
    public static final Serializer<ValidReading> ORIGINAL_BYTES = (topic, valid) -> valid == null ? null : valid.value();
}
