package io.seismo.stream;

import io.seismo.config.SeismoConfig;
import io.seismo.input.ReadingCheck;
import io.seismo.schema.Reading;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a raw record is a usable reading, by {@link ReadingCheck} (the checks the trainer's history reader makes
 * too) on the detector's wall clock. Usable readings go on keyed by series, with their original bytes; everything else
 * goes to the dead-letter topic with the reason. Every input leaves by exactly one of the two ways.
 */
public final class ReadingValidator implements Processor<byte[], byte[], Object, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadingValidator.class);

    private final SeismoConfig.Input limits;
    private final ReadingCheck readingCheck;
    private final ReadingCheck.Decoder decoder = this::decode;
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
     * (caused by MissingSchemaException or another {@link ReadingCheck.UnknownSchema} when the schema is unknown).
     */
    public ReadingValidator(SeismoConfig.Input limits, Deserializer<Reading> readings, String validChild, String deadLetterChild,
                            DetectorMetrics metrics) {
        this.limits = limits;
        this.readingCheck = new ReadingCheck(limits);
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

    /** Why a record is refused. */
    private record Rejection(DeadLetterReason reason, String detail) {
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

    /** The valid reading a record carries, or the {@link Rejection} saying why it is refused. */
    private Object check(Record<byte[], byte[]> record) {
        ReadingCheck.Outcome outcome = readingCheck.check(record.key(), record.value(), record.timestamp(),
                context.currentSystemTimeMs(), decoder);
        if (outcome instanceof ReadingCheck.Accepted accepted) {
            return new ValidReading(accepted.reading(), record.key(), record.value(), record.timestamp());
        }
        ReadingCheck.Rejected rejected = (ReadingCheck.Rejected) outcome;
        return new Rejection(DeadLetterReason.of(rejected.fault()), rejected.detail());
    }

    /** The record's value as a reading; what the deserializer refuses (SerializationException) is not a reading. */
    private Reading decode(byte[] value) throws ReadingCheck.NotAReading {
        try {
            return readings.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(null), value);
        } catch (SerializationException e) {
            throw new ReadingCheck.NotAReading(e.getMessage(), e.getCause());
        }
    }

    static String abbreviate(String s) {
        return ReadingCheck.abbreviate(s);
    }
}
