package io.seismo.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.Reading;
import org.apache.avro.message.MissingSchemaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a raw record is a usable reading: a key within {@code input.max.key.bytes}, a value that is exactly one
 * Avro Reading of a known schema whose series is the key, a finite value within {@code input.max.abs.value}, and a
 * timestamp from 1970 on, not more than {@code input.max.future.ms} ahead of its record's timestamp or the detector's clock
 * (whichever is earlier), and, when set, not more than {@code input.max.past.ms} behind the clock. Usable readings go on
 * keyed by series, with their original bytes; everything else goes to the dead-letter topic with the reason. Every input
 * leaves by exactly one of the two ways.
 */
public final class ReadingValidator implements Processor<byte[], byte[], Object, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadingValidator.class);

    private final SeismoConfig.Input limits;
    private final Deserializer<Reading> readings;
    private final String validChild;
    private final String deadLetterChild;
    private final DetectorMetrics metrics;
    private ProcessorContext<Object, Object> context;
    /** Records whose dead letters the broker refused, to dead-letter reduced (or drop) when they come again. */
    private PoisonPolicy poison;

    public ReadingValidator(SeismoConfig.Input limits, String validChild, String deadLetterChild) {
        this(limits, SeismoSerdes.READING.deserializer(), validChild, deadLetterChild, DetectorMetrics.NONE);
    }

    /**
     * A validator decoding values with {@code readings}, which throws SerializationException for what is not a reading
     * (caused by MissingSchemaException or {@link RegistrySerde.UnknownSchemaException} when the schema is unknown).
     */
    public ReadingValidator(SeismoConfig.Input limits, Deserializer<Reading> readings, String validChild, String deadLetterChild,
                            DetectorMetrics metrics) {
        this.limits = limits;
        this.readings = readings;
        this.metrics = metrics;
        this.validChild = validChild;
        this.deadLetterChild = deadLetterChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.poison = PoisonPolicy.from(context.appConfigs());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (poison != null && refusedBefore(record)) {
            return;
        }
        Object outcome;
        try {
            outcome = check(record);
        } catch (RegistrySerde.RegistryUnavailableException e) {
            // Not the record's fault: fail the task so the record is read again, rather than dead-letter a good reading.
            throw e;
        } catch (RuntimeException e) {
            // Nothing in check should throw; if it does, the record is kept rather than the stream thread stopped.
            LOG.error("validating a record failed", e);
            outcome = new Rejection(DeadLetterReason.PROCESSING_ERROR, e.toString());
        }
        // Forwarding stays outside the try: what the processors and sinks downstream throw (a task migrated, a fenced
        // producer) must reach Kafka Streams.
        if (outcome instanceof ValidReading valid) {
            Reading reading = valid.reading();
            context.forward(new Record<>(reading.getSeries(), valid, reading.getTimestamp().toEpochMilli(), record.headers()), validChild);
        } else {
            Rejection rejection = (Rejection) outcome;
            LOG.debug("dead-lettering record: {} {}", rejection.reason(), rejection.detail());
            metrics.deadLettered(rejection.reason());
            context.forward(DeadLetters.of(context, record.timestamp(), record.key(), record.value(), rejection.reason(),
                    rejection.detail(), limits.deadLetterMaxBytes()), deadLetterChild);
        }
    }

    /**
     * Whether the broker refused this record's dead letter when it was processed before (under exactly-once the
     * transaction was aborted and the record is read again): then it is dead-lettered once more without its key and value
     * bytes, stamped with the wall clock; if that reduced letter was refused too, it is dropped with an error log and
     * counted. Either way nothing else is done with it.
     */
    private boolean refusedBefore(Record<byte[], byte[]> record) {
        java.util.Optional<org.apache.kafka.streams.processor.api.RecordMetadata> m = context.recordMetadata();
        if (m.isEmpty()) {
            return false;
        }
        RefusedOutputs.Refusal refusal = poison.refused().forSource(m.get().topic(), m.get().partition(), m.get().offset());
        if (refusal == null) {
            return false;
        }
        String source = RefusedOutputs.source(m.get().topic(), m.get().partition(), m.get().offset());
        if (refusal.times() > 1) {
            poison.refused().dropped();
            poison.metrics().deadLetterDropped();
            LOG.error("dropping the record at {}: even its reduced dead letter was refused ({})", source, refusal.why());
            return true;
        }
        long now = context.currentSystemTimeMs();
        DeadLetters.Letter letter = DeadLetterProductionHandler.reducedLetter(source, DeadLetterReason.OUTPUT_REFUSED,
                refusal.why() + "; this reduced letter keeps neither key nor value", now);
        letter.letter().setSourceTimestamp(java.time.Instant.ofEpochMilli(Math.max(0, record.timestamp())));
        metrics.deadLettered(DeadLetterReason.OUTPUT_REFUSED);
        context.forward(new Record<>(letter.key(), letter.letter(), now, letter.headers()), deadLetterChild);
        return true;
    }

    /** Why a record is refused. */
    private record Rejection(DeadLetterReason reason, String detail) {
    }

    /** The valid reading a record carries, or the {@link Rejection} saying why it is refused. */
    private Object check(Record<byte[], byte[]> record) {
        byte[] keyBytes = record.key();
        byte[] valueBytes = record.value();
        if (valueBytes == null) {
            return new Rejection(DeadLetterReason.NULL_VALUE, "record has no value");
        }
        if (keyBytes == null || keyBytes.length == 0) {
            return new Rejection(DeadLetterReason.NULL_KEY, "record has " + (keyBytes == null ? "no" : "an empty")
                    + " key; readings must be keyed by series id");
        }
        if (keyBytes.length > limits.maxKeyBytes()) {
            return new Rejection(DeadLetterReason.KEY_TOO_LONG, "key of " + keyBytes.length
                    + " bytes is longer than input.max.key.bytes (" + limits.maxKeyBytes() + ")");
        }
        Reading reading;
        try {
            reading = readings.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(null), valueBytes);
        } catch (SerializationException e) {
            boolean unknownSchema = e.getCause() instanceof MissingSchemaException
                    || e.getCause() instanceof RegistrySerde.UnknownSchemaException;
            return new Rejection(unknownSchema ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.UNDECODABLE, e.getMessage());
        }
        String series = reading.getSeries();
        // Byte for byte: a key that is not valid UTF-8 never equals the re-encoded series, so it cannot alias another series.
        if (!Arrays.equals(keyBytes, series.getBytes(StandardCharsets.UTF_8))) {
            return new Rejection(DeadLetterReason.KEY_MISMATCH, "key '" + abbreviate(new String(keyBytes, StandardCharsets.UTF_8))
                    + "' differs from series '" + abbreviate(series) + "'");
        }
        double value = reading.getValue();
        if (!Double.isFinite(value)) {
            return new Rejection(DeadLetterReason.NON_FINITE_VALUE, "value is " + value);
        }
        if (Math.abs(value) > limits.maxAbsValue()) {
            return new Rejection(DeadLetterReason.VALUE_OUT_OF_RANGE, "value " + value + " is beyond input.max.abs.value ("
                    + limits.maxAbsValue() + ")");
        }
        String timeProblem = timestampProblem(reading.getTimestamp().toEpochMilli(), record.timestamp());
        if (timeProblem != null) {
            return new Rejection(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, timeProblem);
        }
        return new ValidReading(reading, keyBytes, valueBytes, record.timestamp());
    }

    /**
     * Why a reading's event time is unusable, or null when it is fine. A reading cannot be from later than it was produced
     * (its record's timestamp) nor than now (the detector's wall clock): the earlier of the two is the reference for
     * {@code input.max.future.ms}; the wall clock is the reference for {@code input.max.past.ms}.
     */
    private String timestampProblem(long timestamp, long recordTimestamp) {
        if (timestamp < 0) {
            return "timestamp " + timestamp + " is before 1970-01-01 (Kafka timestamps cannot be negative)";
        }
        long now = context.currentSystemTimeMs();
        long reference = recordTimestamp >= 0 ? Math.min(now, recordTimestamp) : now;
        if (limits.maxFutureMs() > 0 && timestamp - reference > limits.maxFutureMs()) {
            return "timestamp " + timestamp + " is " + (timestamp - reference) + " ms ahead of "
                    + (reference == now ? "the detector's clock" : "its record's timestamp") + " (" + reference
                    + "), more than input.max.future.ms (" + limits.maxFutureMs() + ")";
        }
        if (limits.maxPastMs() > 0 && now - timestamp > limits.maxPastMs()) {
            return "timestamp " + timestamp + " is " + (now - timestamp) + " ms behind the detector's clock (" + now
                    + "), more than input.max.past.ms (" + limits.maxPastMs() + ")";
        }
        return null;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
