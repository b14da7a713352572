package io.seismo.input;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.Reading;
import org.apache.avro.message.MissingSchemaException;

/**
 * Decides whether a record of the readings topic is a usable reading: a key within {@code input.max.key.bytes}, a value
 * that is exactly one reading of a known schema whose series is the key, a finite value within
 * {@code input.max.abs.value}, and a timestamp from 1970 on, not more than {@code input.max.future.ms} ahead of its
 * record's timestamp or the clock (whichever is earlier), and, when set, not more than {@code input.max.past.ms} behind
 * the clock. The detector's topology and the trainer's history reader both ask it, so both refuse the same records for
 * the same {@link ReadingFault}s. Stateless and thread-safe.
 */
public final class ReadingCheck {
    private final SeismoConfig.Input limits;

    public ReadingCheck(SeismoConfig.Input limits) {
        this.limits = limits;
    }

    /** Decodes a record's value in the readings' format. */
    @FunctionalInterface
    public interface Decoder {
        /**
         * @throws NotAReading for bytes that are not a reading; anything else it throws is not the record's fault and
         *                     reaches the caller of {@link #check}
         */
        Reading decode(byte[] value) throws NotAReading;
    }

    /** Bytes that are not a reading, and whether that is because their schema is unknown. */
    public static final class NotAReading extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean unknownSchema;

        /**
         * What a decoder's failure means: {@link ReadingFault#UNKNOWN_SCHEMA} when its {@code cause} is Avro's
         * {@link MissingSchemaException} or an {@link UnknownSchema}, else {@link ReadingFault#UNDECODABLE}.
         */
        public NotAReading(String message, Throwable cause) {
            // Not thrown far, nor ever logged with its trace: a bad record costs no stack walk.
            super(message, cause, false, false);
            this.unknownSchema = cause instanceof MissingSchemaException || cause instanceof UnknownSchema;
        }

        public ReadingFault fault() {
            return unknownSchema ? ReadingFault.UNKNOWN_SCHEMA : ReadingFault.UNDECODABLE;
        }
    }

    /** Marks a decoder's exception that says the schema a value names is unknown (for instance to a schema registry). */
    public interface UnknownSchema {
    }

    /** A record judged: {@link Accepted} or {@link Rejected}. */
    public sealed interface Outcome permits Accepted, Rejected {
    }

    /** A usable reading; its series is the record's key. */
    public record Accepted(Reading reading) implements Outcome {
    }

    /** Why a record is refused, and the detail said about it. */
    public record Rejected(ReadingFault fault, String detail) implements Outcome {
    }

    /**
     * Judges one record.
     *
     * @param key             the record's key bytes (null when it has none)
     * @param value           the record's value bytes (null when it has none)
     * @param recordTimestamp the record's own (Kafka) timestamp, negative when it has none
     * @param now             the clock the reading is judged at, in epoch milliseconds
     * @param decoder         decodes the value; called only for a record with a value and an acceptable key
     */
    public Outcome check(byte[] key, byte[] value, long recordTimestamp, long now, Decoder decoder) {
        if (value == null) {
            return new Rejected(ReadingFault.NULL_VALUE, "record has no value");
        }
        if (key == null || key.length == 0) {
            return new Rejected(ReadingFault.NULL_KEY, "record has " + (key == null ? "no" : "an empty")
                    + " key; readings must be keyed by series id");
        }
        if (key.length > limits.maxKeyBytes()) {
            return new Rejected(ReadingFault.KEY_TOO_LONG, "key of " + key.length
                    + " bytes is longer than input.max.key.bytes (" + limits.maxKeyBytes() + ")");
        }
        Reading reading;
        try {
            reading = decoder.decode(value);
        } catch (NotAReading e) {
            return new Rejected(e.fault(), e.getMessage());
        }
        String series = reading.getSeries();
        // Byte for byte: a key that is not valid UTF-8 never equals the re-encoded series, so it cannot alias another series.
        if (!Arrays.equals(key, series.getBytes(StandardCharsets.UTF_8))) {
            return new Rejected(ReadingFault.KEY_MISMATCH, "key '" + abbreviate(new String(key, StandardCharsets.UTF_8))
                    + "' differs from series '" + abbreviate(series) + "'");
        }
        double v = reading.getValue();
        if (!Double.isFinite(v)) {
            return new Rejected(ReadingFault.NON_FINITE_VALUE, "value is " + v);
        }
        if (Math.abs(v) > limits.maxAbsValue()) {
            return new Rejected(ReadingFault.VALUE_OUT_OF_RANGE, "value " + v + " is beyond input.max.abs.value ("
                    + limits.maxAbsValue() + ")");
        }
        String timeProblem = timestampProblem(reading.getTimestamp().toEpochMilli(), recordTimestamp, now);
        if (timeProblem != null) {
            return new Rejected(ReadingFault.TIMESTAMP_OUT_OF_RANGE, timeProblem);
        }
        return new Accepted(reading);
    }

    /**
     * Why a reading's event time is unusable, or null when it is fine. A reading cannot be from later than it was produced
     * (its record's timestamp) nor than now (the clock): the earlier of the two is the reference for
     * {@code input.max.future.ms}; the clock is the reference for {@code input.max.past.ms}.
     */
    private String timestampProblem(long timestamp, long recordTimestamp, long now) {
        if (timestamp < 0) {
            return "timestamp " + timestamp + " is before 1970-01-01 (Kafka timestamps cannot be negative)";
        }
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

    /** A series id or key short enough for a log line or a dead letter's reason (80 characters at most). */
    public static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
