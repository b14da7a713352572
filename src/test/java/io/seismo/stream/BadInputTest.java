package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import io.seismo.schema.SeriesStateView;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input, one test each, through the whole topology: what it becomes (a dead letter with its reason,
 * the original bytes and where they came from; or a reading judged like any other) and that the series' state is
 * untouched by what is refused. The table in docs/reliability.md follows these tests.
 */
class BadInputTest {
    private static final long STEP = 60_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    /** The detector's wall clock: after every regular reading of these tests. */
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final String SERIES = "sensor-1";
    private static final byte[] SERIES_KEY = SERIES.getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    private SeismoConfig config;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> readings;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private TestOutputTopic<String, ScoredReading> scores;
    private long offset;

    private void start(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bootstrap.servers", "localhost:9",
                "state.dir", stateDir.toString(),
                "model.inputs", "value",
                "topic.scores", "scores"));
        settings.putAll(extra);
        config = SeismoConfig.defaults().with(settings);
        driver = new TopologyTestDriver(SeismoTopology.build(config), DetectorApp.streamsProperties(config), NOW);
        readings = driver.createInputTopic("readings", new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic("deadletter", new ByteArrayDeserializer(), SeismoSerdes.DEAD_LETTER.deserializer());
        scores = driver.createOutputTopic("scores", new StringDeserializer(), SeismoSerdes.SCORED.deserializer());
    }

    private void start() {
        start(Map.of());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private static byte[] reading(String series, long timestamp, double value) {
        return SeismoSerdes.READING.encode(new Reading(series, Instant.ofEpochMilli(timestamp), value));
    }

    /** Sends one raw record with a record timestamp; returns its offset on the input partition. */
    private long send(byte[] key, byte[] value, long recordTimestamp) {
        readings.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(recordTimestamp)));
        return offset++;
    }

    /** {@code n} regular readings of the series from step {@code from}, each timestamped with its event time. */
    private void regular(int from, int n) {
        for (int i = from; i < from + n; i++) {
            long ts = START + i * STEP;
            send(SERIES_KEY, reading(SERIES, ts, 100 + 10 * Math.sin(i / 7.0)), ts);
        }
    }

    private byte[] storedState() {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(SeismoTopology.Names.DEFAULT.stateStore());
        return store.get(SERIES);
    }

    private SeriesStateView state() {
        return new PackedSeriesState(DetectorSettings.from(config)).toAvro(storedState());
    }

    /**
     * Sends a bad record after 40 regular readings and checks that it is the one dead letter, with the reason, its
     * original bytes, topic, partition, offset and timestamp, that the series' state did not move, and that the next
     * regular reading is judged.
     */
    private DeadLetter assertDeadLettered(DeadLetterReason reason, byte[] key, byte[] value) {
        return assertDeadLettered(reason, key, value, START + 40 * STEP);
    }

    private DeadLetter assertDeadLettered(DeadLetterReason reason, byte[] key, byte[] value, long recordTimestamp) {
        regular(0, 40);
        byte[] before = storedState();
        long at = send(key, value, recordTimestamp);
        assertArrayEquals(before, storedState(), "the refused record does not touch the series' state");
        regular(40, 1);
        assertEquals(41, scores.readValuesToList().size(), "every regular reading is judged, the bad one is not");

        List<TestRecord<byte[], DeadLetter>> letters = deadLetters.readRecordsToList();
        assertEquals(1, letters.size(), () -> "one dead letter: " + letters);
        TestRecord<byte[], DeadLetter> record = letters.get(0);
        DeadLetter letter = record.value();
        assertEquals(reason.name(), letter.getReasonCode(), letter::getReason);
        assertEquals("readings", letter.getSourceTopic());
        assertEquals(0, letter.getSourcePartition());
        assertEquals(at, letter.getSourceOffset());
        assertEquals(recordTimestamp, letter.getSourceTimestamp().toEpochMilli());
        assertArrayEquals(key, DeadLetters.bytes(letter.getKey()), "the original key");
        assertArrayEquals(value, DeadLetters.bytes(letter.getValue()), "the original value");
        assertFalse(letter.getTruncated());
        Header header = record.headers().lastHeader(DeadLetters.REASON_HEADER);
        assertNotNull(header);
        assertTrue(new String(header.value(), StandardCharsets.UTF_8).startsWith(reason.name() + ": "));
        Header source = record.headers().lastHeader(DeadLetters.SOURCE_HEADER);
        assertEquals("readings/0@" + at, new String(source.value(), StandardCharsets.UTF_8));
        return letter;
    }

    @Test
    void shouldDeadLetterBytesThatAreNotAvroAsUndecodable() {
        start();
        DeadLetter letter = assertDeadLettered(DeadLetterReason.UNDECODABLE, SERIES_KEY, "{\"value\": 42}".getBytes(StandardCharsets.UTF_8));
        assertTrue(letter.getReason().contains("BadHeaderException"), letter.getReason());
    }

    @Test
    void shouldDeadLetterAnEmptyValueAsUndecodable() {
        start();
        assertDeadLettered(DeadLetterReason.UNDECODABLE, SERIES_KEY, new byte[0]);
    }

    @Test
    void shouldDeadLetterARecordOfAnotherSchemaAsUnknownSchema() {
        start();
        Schema other = SchemaBuilder.record("Reading").namespace("io.seismo.schema").fields()
                .requiredString("series").requiredLong("timestamp").requiredDouble("value").requiredString("unit").endRecord();
        GenericRecord record = new GenericData.Record(other);
        record.put("series", SERIES);
        record.put("timestamp", START + 40 * STEP);
        record.put("value", 1.0);
        record.put("unit", "kPa");
        byte[] encoded;
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(record);
            encoded = DeadLetters.bytes(buffer);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        DeadLetter letter = assertDeadLettered(DeadLetterReason.UNKNOWN_SCHEMA, SERIES_KEY, encoded);
        assertTrue(letter.getReason().contains("MissingSchemaException"), letter.getReason());
    }

    @Test
    void shouldDeadLetterARecordOfAnotherSeismoTypeAsUnknownSchema() {
        start();
        byte[] scored = SeismoSerdes.SCORED.encode(ScoredReading.newBuilder().setSeries(SERIES).setTimestamp(Instant.ofEpochMilli(START))
                .setValue(1).setScored(false).setExpected(1).setLower(0).setUpper(2).setError(0).setThreshold(0).setScore(0)
                .setAnomalous(false).setInEpisode(false).setModelVersion(0).build());
        assertDeadLettered(DeadLetterReason.UNKNOWN_SCHEMA, SERIES_KEY, scored);
    }

    @Test
    void shouldDeadLetterTruncatedAvroAsUndecodable() {
        start();
        byte[] valid = reading(SERIES, START + 40 * STEP, 1.0);
        DeadLetter letter = assertDeadLettered(DeadLetterReason.UNDECODABLE, SERIES_KEY, Arrays.copyOf(valid, valid.length - 3));
        assertTrue(letter.getReason().contains("EOFException"), letter.getReason());
    }

    @Test
    void shouldDeadLetterAvroWithBytesAppendedAsUndecodable() {
        start();
        byte[] valid = reading(SERIES, START + 40 * STEP, 1.0);
        byte[] longer = Arrays.copyOf(valid, valid.length + 2);
        DeadLetter letter = assertDeadLettered(DeadLetterReason.UNDECODABLE, SERIES_KEY, longer);
        assertTrue(letter.getReason().contains("2 bytes after the end"), letter.getReason());
    }

    @Test
    void shouldDeadLetterANullKeyAsNullKey() {
        start();
        assertDeadLettered(DeadLetterReason.NULL_KEY, null, reading(SERIES, START + 40 * STEP, 1.0));
    }

    @Test
    void shouldDeadLetterAnEmptyKeyAsNullKey() {
        start();
        assertDeadLettered(DeadLetterReason.NULL_KEY, new byte[0], reading("", START + 40 * STEP, 1.0));
    }

    @Test
    void shouldDeadLetterANullValueAsNullValue() {
        start();
        assertDeadLettered(DeadLetterReason.NULL_VALUE, SERIES_KEY, null);
    }

    @Test
    void shouldDeadLetterAKeyThatIsNotTheSeriesAsKeyMismatch() {
        start();
        assertDeadLettered(DeadLetterReason.KEY_MISMATCH, "sensor-2".getBytes(StandardCharsets.UTF_8), reading(SERIES, START + 40 * STEP, 1.0));
    }

    @Test
    void shouldDeadLetterAKeyThatIsNotUtf8AsKeyMismatchEvenWhenItDecodesToTheSeries() {
        start();
        // A lone continuation byte decodes to U+FFFD, as does the same byte inside the value's series string.
        byte[] key = {'s', (byte) 0x80};
        byte[] value = reading("s\uFFFD", START + 40 * STEP, 1.0);
        assertDeadLettered(DeadLetterReason.KEY_MISMATCH, key, value);
    }

    @Test
    void shouldDeadLetterNaNAndInfinitiesAsNonFiniteValues() {
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            start();
            DeadLetter letter = assertDeadLettered(DeadLetterReason.NON_FINITE_VALUE, SERIES_KEY, reading(SERIES, START + 40 * STEP, v));
            assertTrue(letter.getReason().contains(Double.toString(v)), letter.getReason());
            driver.close();
            driver = null;
            offset = 0;
        }
    }

    @Test
    void shouldDeadLetterAbsurdMagnitudesAsOutOfRangeWithoutTouchingTheScaler() {
        for (double v : new double[] {1e300, -1e300, 1.0000001e15, Double.MAX_VALUE}) {
            start();
            assertDeadLettered(DeadLetterReason.VALUE_OUT_OF_RANGE, SERIES_KEY, reading(SERIES, START + 40 * STEP, v));
            SeriesStateView state = state();
            assertTrue(Math.abs(state.getScalerMean() - 100) < 10 && state.getScalerVar() < 100, "scaler as before: " + state);
            driver.close();
            driver = null;
            offset = 0;
        }
    }

    @Test
    void shouldAcceptAValueAtTheMagnitudeLimitAndKeepTheStateFiniteAndScoring() {
        start();
        regular(0, 300);
        long ts = START + 300 * STEP;
        send(SERIES_KEY, reading(SERIES, ts, -1e15), ts);
        regular(301, 300);
        assertTrue(deadLetters.isEmpty(), "1e15 is within input.max.abs.value");
        List<ScoredReading> judged = scores.readValuesToList();
        assertEquals(601, judged.size());
        assertTrue(judged.get(300).getAnomalous(), "the extreme reading is judged anomalous");
        SeriesStateView state = state();
        assertEquals(601, state.getReadings());
        assertTrue(Double.isFinite(state.getScalerMean()) && Double.isFinite(state.getScalerVar()), "scaler finite: " + state);
        assertTrue(judged.stream().allMatch(s -> Double.isFinite(s.getValue()) && (!s.getScored() || Double.isFinite(s.getError()))),
                "every verdict finite");
    }

    @Test
    void shouldDeadLetterATimestampFarAheadOfTheDetectorsClockAndKeepTheSeriesOpen() {
        start();
        long future = NOW.toEpochMilli() + Duration.ofHours(2).toMillis();
        // Record timestamp: when it was produced; event time in the value: two hours after the detector's clock.
        DeadLetter letter = assertDeadLettered(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, SERIES_KEY, reading(SERIES, future, 1.0),
                NOW.toEpochMilli());
        assertTrue(letter.getReason().contains("input.max.future.ms"), letter.getReason());
        assertEquals(START + 40 * STEP, state().getLastTimestamp(), "the series is not pushed into the future");
    }

    @Test
    void shouldDeadLetterATimestampFarAheadOfItsOwnRecordsTimestamp() {
        start();
        long produced = START + 40 * STEP;
        long claimed = produced + Duration.ofHours(2).toMillis();
        DeadLetter letter = assertDeadLettered(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, SERIES_KEY, reading(SERIES, claimed, 1.0), produced);
        assertTrue(letter.getReason().contains("ahead of its record's timestamp"), letter.getReason());
    }

    @Test
    void shouldAcceptATimestampWithinTheFutureTolerance() {
        start();
        regular(0, 40);
        long soon = NOW.toEpochMilli() + Duration.ofMinutes(30).toMillis();
        send(SERIES_KEY, reading(SERIES, soon, 100), NOW.toEpochMilli());
        assertTrue(deadLetters.isEmpty());
        assertEquals(soon, state().getLastTimestamp());
    }

    @Test
    void shouldDeadLetterATimestampBefore1970() {
        start();
        DeadLetter letter = assertDeadLettered(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, SERIES_KEY, reading(SERIES, -1, 1.0),
                NOW.toEpochMilli());
        assertTrue(letter.getReason().contains("before 1970"), letter.getReason());
    }

    @Test
    void shouldAcceptOldTimestampsByDefaultAndRefuseThemBeyondTheConfiguredPast() {
        start();
        regular(0, 41);
        assertTrue(deadLetters.isEmpty(), "readings five months behind the clock are accepted by default");
        driver.close();
        offset = 0;
        start(Map.of("input.max.past.ms", Long.toString(Duration.ofDays(30).toMillis())));
        long old = NOW.toEpochMilli() - Duration.ofDays(31).toMillis();
        send(SERIES_KEY, reading(SERIES, old, 1.0), NOW.toEpochMilli());
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertEquals(1, letters.size());
        assertEquals("TIMESTAMP_OUT_OF_RANGE", letters.get(0).getReasonCode());
        assertTrue(letters.get(0).getReason().contains("input.max.past.ms"), letters.get(0).getReason());
    }

    @Test
    void shouldDeadLetterAReadingOlderThanTheSeriesLastAsOutOfOrderWithItsOriginalBytes() {
        start();
        long late = START + 20 * STEP;
        DeadLetter letter = assertDeadLettered(DeadLetterReason.OUT_OF_ORDER, SERIES_KEY, reading(SERIES, late, 1.0), NOW.toEpochMilli());
        assertTrue(letter.getReason().contains("not after"), letter.getReason());
    }

    @Test
    void shouldDeadLetterADuplicateTimestampAsOutOfOrder() {
        start();
        long last = START + 39 * STEP;
        assertDeadLettered(DeadLetterReason.OUT_OF_ORDER, SERIES_KEY, reading(SERIES, last, 100), last);
    }

    @Test
    void shouldJudgeReadingsAfterALongGapAndKeepTheStateFinite() {
        start();
        regular(0, 300);
        long gap = Duration.ofDays(120).toMillis();
        for (int i = 300; i < 400; i++) {
            long ts = START + i * STEP + gap;
            send(SERIES_KEY, reading(SERIES, ts, 100 + 10 * Math.sin(i / 7.0)), ts);
        }
        assertTrue(deadLetters.isEmpty(), "a gap is not an error");
        List<ScoredReading> judged = scores.readValuesToList();
        assertEquals(400, judged.size());
        assertTrue(judged.get(300).getScored(), "the first reading after the gap is scored");
        assertTrue(judged.subList(300, 400).stream().noneMatch(ScoredReading::getAnomalous), "the same signal after a gap is normal");
        SeriesStateView state = state();
        assertEquals(400, state.getReadings());
        assertEquals(START + 399 * STEP + gap, state.getLastTimestamp());
        assertTrue(Double.isFinite(state.getTypicalGap()) && state.getTypicalGap() > STEP, "typical gap takes the gap in: " + state.getTypicalGap());
    }

    @Test
    void shouldAcceptAKeyAtTheLimitAndDeadLetterALongerOne() {
        start(Map.of("input.max.key.bytes", "64"));
        String atLimit = "k".repeat(64);
        long ts = START;
        send(atLimit.getBytes(StandardCharsets.UTF_8), reading(atLimit, ts, 1.0), ts);
        assertEquals(1, scores.readValuesToList().size());
        driver.close();
        offset = 0;
        start(Map.of("input.max.key.bytes", "64"));
        String tooLong = "k".repeat(65);
        DeadLetter letter = assertDeadLettered(DeadLetterReason.KEY_TOO_LONG, tooLong.getBytes(StandardCharsets.UTF_8),
                reading(tooLong, START + 40 * STEP, 1.0));
        assertTrue(letter.getReason().contains("65 bytes"), letter.getReason());
    }

    @Test
    void shouldCutAHugeRecordInItsDeadLetterAndSaySo() {
        start();
        byte[] key = "x".repeat(2_000_000).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[3_000_000];
        Arrays.fill(value, (byte) 7);
        long at = send(key, value, START);
        TestRecord<byte[], DeadLetter> record = deadLetters.readRecord();
        DeadLetter letter = record.value();
        int kept = config.input().deadLetterMaxBytes();
        assertEquals("KEY_TOO_LONG", letter.getReasonCode());
        assertEquals(at, letter.getSourceOffset());
        assertTrue(letter.getTruncated());
        assertArrayEquals(Arrays.copyOf(key, kept), DeadLetters.bytes(letter.getKey()), "the key's first bytes");
        assertArrayEquals(Arrays.copyOf(value, kept), DeadLetters.bytes(letter.getValue()), "the value's first bytes");
        assertEquals(kept, record.key().length);
        assertTrue(letter.getReason().contains("original key 2000000 bytes, value 3000000 bytes"), letter.getReason());
        assertTrue(record.key().length + SeismoSerdes.DEAD_LETTER.encode(letter).length < 1_000_000, "fits a broker's default message size");
    }

    @Test
    void shouldReadDeadLettersWrittenBeforeTheTruncatedFieldExisted() throws IOException {
        Schema v1;
        try (InputStream in = getClass().getResourceAsStream("/io/seismo/schema/history/DeadLetter-v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericData.Record(v1);
        old.put("sourceTopic", "readings");
        old.put("sourcePartition", 3);
        old.put("sourceOffset", 17L);
        old.put("sourceTimestamp", 5L);
        old.put("reasonCode", "UNDECODABLE");
        old.put("reason", "old");
        old.put("key", null);
        old.put("value", ByteBuffer.wrap(new byte[] {1, 2}));
        old.put("failedAt", 6L);
        DeadLetter read = SeismoSerdes.DEAD_LETTER.decode(DeadLetters.bytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old)));
        assertEquals(17L, read.getSourceOffset());
        assertNull(read.getKey());
        assertFalse(read.getTruncated());
    }
}
