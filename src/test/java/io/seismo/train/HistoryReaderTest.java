package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.seismo.config.SeismoConfig;
import io.seismo.input.ReadingFault;
import io.seismo.schema.Reading;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trainer's reading of history refuses what the detector refuses, under the same {@code input.*} limits, and skips
 * it with a count.
 */
class HistoryReaderTest {
    private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final String SERIES = "sensor-1";
    private static final byte[] SERIES_KEY = SERIES.getBytes(StandardCharsets.UTF_8);

    private SampleBuffer buffer;
    private AtomicLong skipped;
    private long offset;

    @BeforeEach
    void setUp() {
        buffer = new SampleBuffer(100, 10);
        skipped = new AtomicLong();
    }

    private HistoryReader reader(Map<String, String> settings) {
        return new HistoryReader(SeismoConfig.defaults().with(settings).input(), null, "readings", buffer, skipped);
    }

    private static byte[] reading(String series, long timestamp, double value) {
        try {
            ByteBuffer encoded = Reading.getEncoder().encode(new Reading(series, Instant.ofEpochMilli(timestamp), value));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, long recordTimestamp) {
        return new ConsumerRecord<>("readings", 0, offset++, recordTimestamp, TimestampType.CREATE_TIME, -1, -1, key, value,
                new RecordHeaders(), Optional.empty());
    }

    /** Offers one record to {@code reader} at {@link #NOW}, expects it skipped for {@code fault}, with nothing appended. */
    private void assertSkipped(HistoryReader reader, ReadingFault fault, ConsumerRecord<byte[], byte[]> record) {
        long before = skipped.get();
        long appended = buffer.appended();
        assertFalse(reader.accept(record, NOW), () -> "refused as " + fault);
        assertEquals(before + 1, skipped.get(), "counted as skipped");
        assertEquals(1L, reader.refused().get(fault), () -> "skipped for " + fault + ": " + reader.refused());
        assertEquals(appended, buffer.appended(), "nothing reaches the buffer");
    }

    @Test
    void shouldAppendAUsableReadingOfHistory() {
        HistoryReader reader = reader(Map.of());
        assertTrue(reader.accept(record(SERIES_KEY, reading(SERIES, NOW - 2 * HOUR, 42), NOW - 2 * HOUR), NOW));
        assertEquals(1, buffer.appended());
        assertEquals(NOW - 2 * HOUR, buffer.firstTimestamp());
        assertEquals(0, skipped.get());
    }

    @Test
    void shouldSkipAValueBeyondInputMaxAbsValue() {
        HistoryReader reader = reader(Map.of("input.max.abs.value", "1000"));
        assertSkipped(reader, ReadingFault.VALUE_OUT_OF_RANGE, record(SERIES_KEY, reading(SERIES, NOW - HOUR, 1e6), NOW - HOUR));
        assertTrue(reader.accept(record(SERIES_KEY, reading(SERIES, NOW - HOUR, -1000), NOW - HOUR), NOW), "the limit itself is taken");
    }

    @Test
    void shouldSkipAValueBeyondTheDefaultMagnitude() {
        assertSkipped(reader(Map.of()), ReadingFault.VALUE_OUT_OF_RANGE, record(SERIES_KEY, reading(SERIES, NOW - HOUR, 1e300), NOW - HOUR));
    }

    @Test
    void shouldSkipAReadingWithAnEmptyKey() {
        assertSkipped(reader(Map.of()), ReadingFault.NULL_KEY, record(new byte[0], reading("", NOW - HOUR, 1), NOW - HOUR));
    }

    @Test
    void shouldSkipAReadingWithoutAKey() {
        assertSkipped(reader(Map.of()), ReadingFault.NULL_KEY, record(null, reading(SERIES, NOW - HOUR, 1), NOW - HOUR));
    }

    @Test
    void shouldSkipAReadingWhoseKeyIsLongerThanInputMaxKeyBytes() {
        char[] chars = new char[65];
        Arrays.fill(chars, 'k');
        String longSeries = new String(chars);
        HistoryReader reader = reader(Map.of("input.max.key.bytes", "64"));
        assertSkipped(reader, ReadingFault.KEY_TOO_LONG, record(longSeries.getBytes(StandardCharsets.UTF_8), reading(longSeries, NOW - HOUR, 1),
                NOW - HOUR));
    }

    @Test
    void shouldSkipAReadingWhoseTimestampIsBefore1970() {
        assertSkipped(reader(Map.of()), ReadingFault.TIMESTAMP_OUT_OF_RANGE, record(SERIES_KEY, reading(SERIES, -1, 1), NOW - HOUR));
    }

    @Test
    void shouldSkipAReadingFromFurtherAheadOfItsRecordThanInputMaxFutureMs() {
        long written = NOW - 10 * HOUR;
        assertSkipped(reader(Map.of()), ReadingFault.TIMESTAMP_OUT_OF_RANGE, record(SERIES_KEY, reading(SERIES, written + 2 * HOUR, 1), written));
    }

    @Test
    void shouldJudgeInputMaxPastMsAtTheTimeTheRecordWasWritten() {
        HistoryReader reader = reader(Map.of("input.max.past.ms", Long.toString(HOUR)));
        long lastWeek = NOW - 7 * 24 * HOUR;
        assertTrue(reader.accept(record(SERIES_KEY, reading(SERIES, lastWeek - HOUR / 2, 1), lastWeek), NOW),
                "fresh when it was written: history is not refused for being old now");
        assertSkipped(reader, ReadingFault.TIMESTAMP_OUT_OF_RANGE, record(SERIES_KEY, reading(SERIES, lastWeek - 2 * HOUR, 1), lastWeek));
    }

    @Test
    void shouldSkipWhatTheDetectorRefusesForTheSameReasons() {
        HistoryReader reader = reader(Map.of());
        long t = NOW - HOUR;
        reader.accept(record(SERIES_KEY, null, t), NOW);
        reader.accept(record(SERIES_KEY, "{\"value\": 42}".getBytes(StandardCharsets.UTF_8), t), NOW);
        reader.accept(record("sensor-2".getBytes(StandardCharsets.UTF_8), reading(SERIES, t, 1), t), NOW);
        reader.accept(record(SERIES_KEY, reading(SERIES, t, Double.NaN), t), NOW);
        byte[] unknownFingerprint = reading(SERIES, t, 1);
        unknownFingerprint[2] ^= 0x55;
        reader.accept(record(SERIES_KEY, unknownFingerprint, t), NOW);
        assertEquals(Map.of(ReadingFault.NULL_VALUE, 1L, ReadingFault.UNDECODABLE, 1L, ReadingFault.KEY_MISMATCH, 1L,
                ReadingFault.NON_FINITE_VALUE, 1L, ReadingFault.UNKNOWN_SCHEMA, 1L), reader.refused());
        assertEquals(5, skipped.get());
        assertEquals(5, reader.skipped());
        assertEquals(0, buffer.appended());
    }
}
