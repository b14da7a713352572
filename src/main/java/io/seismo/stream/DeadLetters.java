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
    /** On a dead letter whose series' state could not be decoded: the state's bytes (cut like the key and value). */
    public static final String STATE_HEADER = "seismo.state";
    /** On a dead letter reduced to fit the broker (no key or value bytes): its refusal is not dead-lettered again. */
    public static final String REDUCED_HEADER = "seismo.reduced";

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
        return of(context, sourceTimestamp, Math.max(0, sourceTimestamp), key, value, reason, detail, maxBytes);
    }

    /**
     * The same, written with record timestamp {@code recordTimestamp} instead of the input's (which a topic with tighter
     * timestamp bounds than the input's may refuse).
     */
    static Record<byte[], DeadLetter> of(ProcessorContext<?, ?> context, long sourceTimestamp, long recordTimestamp, byte[] key,
                                         byte[] value, DeadLetterReason reason, String detail, int maxBytes) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        Letter l = letter(metadata.map(RecordMetadata::topic).orElse(""), metadata.map(RecordMetadata::partition).orElse(-1),
                metadata.map(RecordMetadata::offset).orElse(-1L), sourceTimestamp, context.currentSystemTimeMs(), key, value, reason,
                detail, maxBytes);
        return new Record<>(l.key(), l.letter(), Math.max(0, recordTimestamp), l.headers());
    }

    /** A dead letter, the key it is written with and its headers. */
    record Letter(byte[] key, DeadLetter letter, Headers headers) {
    }

    /** The dead letter of the record at {@code topic/partition@offset}, failed at wall-clock time {@code now}. */
    static Letter letter(String topic, int partition, long offset, long sourceTimestamp, long now, byte[] key, byte[] value,
                         DeadLetterReason reason, String detail, int maxBytes) {
        boolean truncated = (key != null && key.length > maxBytes) || (value != null && value.length > maxBytes);
        String why = truncated ? detail + " (original key " + size(key) + ", value " + size(value) + "; kept " + maxBytes + " bytes of each)"
                : detail;
        byte[] keptKey = cut(key, maxBytes);
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(topic == null ? "" : topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSourceTimestamp(Instant.ofEpochMilli(Math.max(0, sourceTimestamp)))
                .setReasonCode(reason.name())
                .setReason(why)
                .setKey(keptKey == null ? null : ByteBuffer.wrap(keptKey))
                .setValue(value == null ? null : ByteBuffer.wrap(cut(value, maxBytes)))
                .setFailedAt(Instant.ofEpochMilli(now))
                .setTruncated(truncated)
                .build();
        Headers headers = new RecordHeaders();
        headers.add(REASON_HEADER, (reason.name() + ": " + why).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, RefusedOutputs.source(topic, partition, offset).getBytes(StandardCharsets.UTF_8));
        return new Letter(keptKey, letter, headers);
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
