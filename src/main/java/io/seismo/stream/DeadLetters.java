package io.seismo.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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
     * @param context         the processor's context, for the source topic, partition and offset
     * @param sourceTimestamp the input record's timestamp, kept on the dead letter
     * @param key             original key bytes, may be null
     * @param value           original value bytes, may be null
     * @param maxBytes        original key and value bytes kept, each; longer ones are cut and the letter marked truncated,
     *                        so that a dead letter of a record the broker accepted is never too large for the broker itself
     */
    public static Record<byte[], DeadLetter> of(ProcessorContext<?, ?> context, long sourceTimestamp, byte[] key, byte[] value,
                                                DeadLetterReason reason, String detail, int maxBytes) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        String topic = metadata.map(RecordMetadata::topic).orElse("");
        int partition = metadata.map(RecordMetadata::partition).orElse(-1);
        long offset = metadata.map(RecordMetadata::offset).orElse(-1L);
        boolean truncated = (key != null && key.length > maxBytes) || (value != null && value.length > maxBytes);
        String why = truncated ? detail + " (original key " + size(key) + ", value " + size(value) + "; kept " + maxBytes + " bytes of each)"
                : detail;
        byte[] keptKey = cut(key, maxBytes);
        long timestamp = Math.max(0, sourceTimestamp);
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSourceTimestamp(Instant.ofEpochMilli(timestamp))
                .setReasonCode(reason.name())
                .setReason(why)
                .setKey(keptKey == null ? null : ByteBuffer.wrap(keptKey))
                .setValue(value == null ? null : ByteBuffer.wrap(cut(value, maxBytes)))
                .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setTruncated(truncated)
                .build();
        Headers headers = new RecordHeaders();
        headers.add(REASON_HEADER, (reason.name() + ": " + why).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, (topic + "/" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
        return new Record<>(keptKey, letter, timestamp, headers);
    }

    private static byte[] cut(byte[] bytes, int maxBytes) {
        return bytes == null || bytes.length <= maxBytes ? bytes : Arrays.copyOf(bytes, maxBytes);
    }

    private static String size(byte[] bytes) {
        return bytes == null ? "none" : bytes.length + " bytes";
    }

    /** The bytes a dead letter's key or value field holds (null for null), without moving the buffer. */
    public static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
