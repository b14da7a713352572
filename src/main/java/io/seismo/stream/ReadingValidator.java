package io.seismo.stream;

import java.nio.charset.StandardCharsets;

import io.seismo.schema.Reading;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a raw record is a usable reading: decodable Avro, keyed by its series, with a finite value.
 * Usable readings go on keyed by series; everything else goes to the dead-letter topic with the reason.
 */
public final class ReadingValidator implements Processor<byte[], byte[], Object, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadingValidator.class);

    private final String validChild;
    private final String deadLetterChild;
    private ProcessorContext<Object, Object> context;

    public ReadingValidator(String validChild, String deadLetterChild) {
        this.validChild = validChild;
        this.deadLetterChild = deadLetterChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] keyBytes = record.key();
        byte[] valueBytes = record.value();
        if (valueBytes == null) {
            reject(record, DeadLetterReason.NULL_VALUE, "record has no value");
            return;
        }
        Reading reading;
        try {
            reading = SeismoSerdes.READING.decode(valueBytes);
        } catch (SerializationException e) {
            reject(record, DeadLetterReason.UNDECODABLE, e.getMessage());
            return;
        }
        if (keyBytes == null) {
            reject(record, DeadLetterReason.NULL_KEY, "record has no key; readings must be keyed by series id");
            return;
        }
        String key = new String(keyBytes, StandardCharsets.UTF_8);
        if (!key.equals(reading.getSeries())) {
            reject(record, DeadLetterReason.KEY_MISMATCH, "key '" + abbreviate(key) + "' differs from series '"
                    + abbreviate(reading.getSeries()) + "'");
            return;
        }
        if (!Double.isFinite(reading.getValue())) {
            reject(record, DeadLetterReason.NON_FINITE_VALUE, "value is " + reading.getValue());
            return;
        }
        context.forward(new Record<>(key, reading, reading.getTimestamp().toEpochMilli(), record.headers()), validChild);
    }

    private void reject(Record<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        LOG.debug("dead-lettering record: {} {}", reason, detail);
        context.forward(DeadLetters.of(context, record, record.key(), record.value(), reason, detail), deadLetterChild);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
