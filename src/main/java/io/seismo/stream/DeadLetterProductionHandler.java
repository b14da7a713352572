package io.seismo.stream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to an output that cannot be written: one the broker refuses (too large for the producer or the
 * topic, a timestamp outside the topic's bounds) or one that cannot be encoded. The partition must keep moving: the
 * record is dead-lettered in a form the broker accepts, and when even that fails it is dropped with an error log and
 * counted ({@link RefusedOutputs#droppedCount()}). A failure Kafka Streams must see ({@link PoisonPolicy#mustPropagate})
 * fails the task as before; a retriable one is retried.
 *
 * <p>Under exactly-once a refused send dooms the transaction it belongs to (the producer enters an abortable error
 * state, so nothing more can be sent in it, a dead letter included). The handler then only remembers the input in
 * {@link RefusedOutputs}; Kafka Streams aborts the transaction and processes the input again, and this time the
 * processors dead-letter it instead ({@link ReadingValidator}, {@link AnomalyDetector}). Under at-least-once the handler
 * returns the dead letter itself, written in place of the refused record.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private PoisonPolicy policy;
    /**
     * Refusals already attributed. Once a send fails in a transaction, the producer fails the batches after it with the
     * same exception instance: those records are not at fault and are only processed again, not dead-lettered.
     */
    private final java.util.Set<Exception> attributed = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    @Override
    public void configure(Map<String, ?> configs) {
        policy = PoisonPolicy.from(configs);
    }

    /** Whether the broker refused this record for what it is (so sending it again would be refused again). */
    static boolean recordsFault(Exception e) {
        return e instanceof RecordTooLargeException || e instanceof InvalidTimestampException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidRecordException;
    }

    /**
     * Whether this record, rather than the batch or the transaction it was in, is what the broker refused: the first
     * callback with a given exception, and not the broker's answer for the other records of a batch with a bad timestamp.
     */
    private boolean culprit(Exception e) {
        if (!recordsFault(e)) {
            return false;
        }
        if (e instanceof InvalidTimestampException && String.valueOf(e.getMessage()).startsWith("One or more records")) {
            return false;
        }
        return attributed.add(e);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (policy == null || PoisonPolicy.mustPropagate(exception)) {
            return Response.fail();
        }
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        String topic = record.topic();
        boolean deadLetter = topic.equals(policy.deadLetterTopic());
        String source = header(record.headers(), DeadLetters.SOURCE_HEADER);
        String why = "the broker refused the " + (deadLetter ? "dead letter" : "output to " + topic) + " ("
                + record.timestamp() + " ms, " + size(record) + " bytes): " + exception;
        if (policy.exactlyOnce()) {
            // The transaction cannot commit: remember the input, so it is dead-lettered when it is processed again.
            if (!culprit(exception)) {
                LOG.warn("output to {} not written, its transaction will be aborted and its inputs processed again: {}", topic, exception.toString());
            } else if (deadLetter && header(record.headers(), DeadLetters.REDUCED_HEADER) == null && source != null) {
                policy.refused().refusedSource(source, why + "; the letter said " + header(record.headers(), DeadLetters.REASON_HEADER));
                LOG.warn("{}; the record at {} will be dead-lettered without its bytes when it is processed again", why, source);
            } else if (deadLetter) {
                policy.refused().refusedSource(source == null ? "" : source, why);
                LOG.error("{}; the record at {} will be dropped when it is processed again", why, source);
            } else {
                policy.refused().refusedReading(record.key(), record.timestamp(), why);
                LOG.warn("{}; the reading will be dead-lettered when it is processed again", why);
            }
            return Response.resume();
        }
        if (deadLetter && header(record.headers(), DeadLetters.REDUCED_HEADER) != null) {
            policy.refused().dropped();
            policy.metrics().deadLetterDropped();
            LOG.error("{}; even the reduced dead letter of the record at {} was refused: it is dropped", why, source);
            return Response.resume();
        }
        long now = System.currentTimeMillis();
        long timestamp = Math.min(Math.max(0, record.timestamp() == null ? now : record.timestamp()), now);
        DeadLetters.Letter letter = deadLetter
                ? reduced(record, source, why, now)
                : DeadLetters.letter(context.topic(), context.partition(), context.offset(), context.timestamp(), now, record.key(),
                        record.value(), DeadLetterReason.OUTPUT_REFUSED, why + "; the output's bytes are kept", policy.deadLetterMaxBytes());
        policy.metrics().deadLettered(DeadLetterReason.valueOf(letter.letter().getReasonCode()));
        LOG.warn("{}; dead-lettered", why);
        return Response.resume(List.of(record(letter, timestamp)));
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        if (policy == null || PoisonPolicy.mustPropagate(exception)) {
            return Response.fail();
        }
        // Nothing was sent, so the transaction is sound: the input is dead-lettered with the bytes it came with.
        String detail = "encoding the " + origin.name().toLowerCase(java.util.Locale.ROOT) + " of the output to " + record.topic()
                + " failed: " + exception;
        long now = System.currentTimeMillis();
        DeadLetters.Letter letter = DeadLetters.letter(context.topic(), context.partition(), context.offset(), context.timestamp(), now,
                context.sourceRawKey(), context.sourceRawValue(), DeadLetterReason.PROCESSING_ERROR, detail, policy.deadLetterMaxBytes());
        policy.metrics().deadLettered(DeadLetterReason.PROCESSING_ERROR);
        LOG.error("{}; the input at {} is dead-lettered", detail, RefusedOutputs.source(context.topic(), context.partition(), context.offset()));
        return Response.resume(List.of(record(letter, Math.min(Math.max(0, context.timestamp()), now))));
    }

    /** The dead letter of a refused dead letter: its reason and source, without key or value bytes. */
    private DeadLetters.Letter reduced(ProducerRecord<byte[], byte[]> refused, String source, String why, long now) {
        return reducedLetter(source, DeadLetterReason.OUTPUT_REFUSED, why + "; the letter said " + header(refused.headers(),
                DeadLetters.REASON_HEADER) + "; this reduced letter keeps neither key nor value", now);
    }

    /** A dead letter without key or value bytes, marked {@link DeadLetters#REDUCED_HEADER}. */
    static DeadLetters.Letter reducedLetter(String source, DeadLetterReason code, String detail, long now) {
        String topic = "";
        int partition = -1;
        long offset = -1;
        if (source != null) {
            int slash = source.lastIndexOf('/');
            int at = source.lastIndexOf('@');
            if (slash > 0 && at > slash) {
                try {
                    partition = Integer.parseInt(source.substring(slash + 1, at));
                    offset = Long.parseLong(source.substring(at + 1));
                    topic = source.substring(0, slash);
                } catch (NumberFormatException malformed) {
                    partition = -1;
                    offset = -1;
                }
            }
        }
        DeadLetters.Letter letter = DeadLetters.letter(topic, partition, offset, now, now, null, null, code, detail, Integer.MAX_VALUE);
        letter.letter().setTruncated(true);
        letter.headers().add(DeadLetters.REDUCED_HEADER, new byte[] {1});
        return letter;
    }

    private ProducerRecord<byte[], byte[]> record(DeadLetters.Letter letter, long timestamp) {
        byte[] value = policy.encode(letter.letter(), letter.headers());
        return new ProducerRecord<>(policy.deadLetterTopic(), null, timestamp, letter.key(), value, letter.headers());
    }

    static String header(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int size(ProducerRecord<byte[], byte[]> r) {
        return (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
    }
}
