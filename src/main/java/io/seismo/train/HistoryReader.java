package io.seismo.train;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.seismo.config.SeismoConfig;
import io.seismo.input.ReadingCheck;
import io.seismo.input.ReadingFault;
import io.seismo.schema.Reading;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes records of history (the readings topic, read for a cold start or a retraining from history) into the trainer's
 * buffer, judging each with the detector's own {@link ReadingCheck} under the same {@code input.*} limits, and on the
 * clock the detector judged it at when it arrived: the record's timestamp (the wall clock when that is earlier, or the
 * record has none), so that {@code input.max.past.ms} does not refuse history for being old now.
 *
 * <p>A refused record is skipped, counted and logged, not dead-lettered: the detector reads the same topic and has
 * dead-lettered it already, and the trainer reads the same history again at each cold start or retraining, so its
 * letters would only repeat the detector's. Not thread-safe.
 */
final class HistoryReader {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryReader.class);
    private static final BinaryMessageDecoder<Reading> SINGLE_OBJECT = Reading.getDecoder();

    private final ReadingCheck check;
    private final Deserializer<Reading> readings;
    private final String topic;
    private final SampleBuffer buffer;
    private final AtomicLong skipped;
    private final ReadingCheck.Decoder decoder = this::decode;
    private final Map<ReadingFault, Long> refused = new EnumMap<>(ReadingFault.class);
    private long failed;

    /**
     * @param limits   the detector's input limits
     * @param readings the deserializer of {@code serde.format}, as the detector's; null for Avro single-object encoding
     * @param topic    the topic read
     * @param buffer   where usable readings go
     * @param skipped  counts every record skipped (the trainer's count of skipped records)
     */
    HistoryReader(SeismoConfig.Input limits, Deserializer<Reading> readings, String topic, SampleBuffer buffer, AtomicLong skipped) {
        this.check = new ReadingCheck(limits);
        this.readings = readings;
        this.topic = topic;
        this.buffer = buffer;
        this.skipped = skipped;
    }

    /**
     * Appends the reading a record carries to the buffer, or skips the record when the detector would refuse it.
     *
     * @param wallClock now, in epoch milliseconds
     * @return whether the reading was appended
     */
    boolean accept(ConsumerRecord<byte[], byte[]> record, long wallClock) {
        long clock = record.timestamp() >= 0 ? Math.min(wallClock, record.timestamp()) : wallClock;
        ReadingCheck.Outcome outcome;
        try {
            outcome = check.check(record.key(), record.value(), record.timestamp(), clock, decoder);
        } catch (RuntimeException e) {
            // The detector would retry (an unreachable registry) or dead-letter it; history has no retry, so it is skipped.
            failed++;
            skip(record, "PROCESSING_ERROR", e.toString());
            return false;
        }
        if (outcome instanceof ReadingCheck.Accepted accepted) {
            Reading reading = accepted.reading();
            buffer.append(reading.getSeries(), reading.getTimestamp().toEpochMilli(), reading.getValue());
            return true;
        }
        ReadingCheck.Rejected rejected = (ReadingCheck.Rejected) outcome;
        refused.merge(rejected.fault(), 1L, Long::sum);
        skip(record, rejected.fault().name(), rejected.detail());
        return false;
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
        long n = skipped.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            LOG.warn("skipped a record of history the detector refuses ({} so far) at {}-{}@{}: {} {}", n, record.topic(),
                    record.partition(), record.offset(), reason, detail);
        } else {
            LOG.debug("skipping the record of history at {}-{}@{}: {} {}", record.topic(), record.partition(), record.offset(),
                    reason, detail);
        }
    }

    /** Records skipped so far. */
    long skipped() {
        return refused.values().stream().mapToLong(Long::longValue).sum() + failed;
    }

    /** Records skipped so far for each fault (faults without one left out). */
    Map<ReadingFault, Long> refused() {
        return new EnumMap<>(refused);
    }

    /** Records skipped so far because judging them failed (the detector's {@code PROCESSING_ERROR}). */
    long failed() {
        return failed;
    }

    /** The record's value as a reading, read as the detector reads it: what the deserializer refuses is not a reading. */
    private Reading decode(byte[] value) throws ReadingCheck.NotAReading {
        if (readings == null) {
            try {
                return SINGLE_OBJECT.decode(value);
            } catch (java.io.IOException | RuntimeException e) {
                throw new ReadingCheck.NotAReading("not a valid Avro single-object record: " + e, e);
            }
        }
        try {
            return readings.deserialize(topic, value);
        } catch (SerializationException e) {
            throw new ReadingCheck.NotAReading(e.getMessage(), e.getCause());
        }
    }
}
