package io.seismo.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import io.seismo.schema.DeadLetter;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds dead-letter records that keep the original bytes, where they came from and why they failed. */
public final class DeadLetters {
    public static final String REASON_HEADER = "seismo.reason";
    public static final String SOURCE_HEADER = "seismo.source";

    private DeadLetters() {
    }

    /**
     * The dead-letter record for an input that failed.
     *
     * @param context the processor's context, for the source topic, partition and offset
     * @param input   the input record (its timestamp is kept)
     * @param key     original key bytes, may be null
     * @param value   original value bytes, may be null
     */
    public static Record<byte[], DeadLetter> of(ProcessorContext<?, ?> context, Record<?, ?> input, byte[] key, byte[] value,
                                                DeadLetterReason reason, String detail) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        String topic = metadata.map(RecordMetadata::topic).orElse("");
        int partition = metadata.map(RecordMetadata::partition).orElse(-1);
        long offset = metadata.map(RecordMetadata::offset).orElse(-1L);
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSourceTimestamp(Instant.ofEpochMilli(Math.max(0, input.timestamp())))
                .setReasonCode(reason.name())
                .setReason(detail)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
        Headers headers = new RecordHeaders();
        headers.add(REASON_HEADER, (reason.name() + ": " + detail).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, (topic + "/" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
        return new Record<>(key, letter, input.timestamp(), headers);
    }
}
