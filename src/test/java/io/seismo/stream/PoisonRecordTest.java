package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
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
 * Records that used to stall their partition, through the whole topology: a series whose stored state cannot be decoded,
 * and inputs whose outputs the broker refused before (under exactly-once they are read again after the aborted
 * transaction). Each comes out as one dead letter and the readings after it are judged: inputs = judged + dead-lettered.
 */
class PoisonRecordTest {
    private static final long STEP = 60_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final String SERIES = "sensor-1";
    private static final byte[] SERIES_KEY = SERIES.getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    private SeismoConfig config;
    private PoisonPolicy policy;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> readings;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private TestOutputTopic<String, ScoredReading> scores;
    private long offset;

    private void start() {
        Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", "localhost:9", "state.dir", stateDir.toString(),
                "model.inputs", "value", "topic.scores", "scores"));
        config = SeismoConfig.defaults().with(settings);
        policy = new PoisonPolicy(config, null, DetectorMetrics.NONE);
        driver = new TopologyTestDriver(SeismoTopology.build(config), DetectorApp.streamsProperties(config, policy), NOW);
        readings = driver.createInputTopic("readings", new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic("deadletter", new ByteArrayDeserializer(), SeismoSerdes.DEAD_LETTER.deserializer());
        scores = driver.createOutputTopic("scores", new StringDeserializer(), SeismoSerdes.SCORED.deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static byte[] reading(long timestamp, double value) {
        return SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(timestamp), value));
    }

    private long send(byte[] key, byte[] value, long recordTimestamp) {
        readings.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(recordTimestamp)));
        return offset++;
    }

    private void regular(int from, int n) {
        for (int i = from; i < from + n; i++) {
            long ts = START + i * STEP;
            send(SERIES_KEY, reading(ts, 100 + 10 * Math.sin(i / 7.0)), ts);
        }
    }

    private KeyValueStore<String, byte[]> store() {
        return driver.getKeyValueStore(SeismoTopology.Names.DEFAULT.stateStore());
    }

    @Test
    void shouldDeadLetterAReadingWhoseStateCannotBeDecodedAndRestartTheSeriesFromFreshState() {
        start();
        regular(0, 40);
        byte[] garbage = "this is not a packed series state".getBytes(StandardCharsets.UTF_8);
        store().put(SERIES, garbage);
        long ts = START + 40 * STEP;
        byte[] value = reading(ts, 101);
        long at = send(SERIES_KEY, value, ts);
        assertNull(store().get(SERIES), "the unreadable state is discarded");
        regular(41, 5);

        List<TestRecord<byte[], DeadLetter>> letters = deadLetters.readRecordsToList();
        assertEquals(1, letters.size(), () -> "one dead letter: " + letters);
        DeadLetter letter = letters.get(0).value();
        assertEquals("STATE_UNREADABLE", letter.getReasonCode());
        assertEquals(at, letter.getSourceOffset());
        assertArrayEquals(value, DeadLetters.bytes(letter.getValue()), "the reading's own bytes");
        assertTrue(letter.getReason().contains("restarts from a fresh state"), letter.getReason());
        assertArrayEquals(garbage, letters.get(0).headers().lastHeader(DeadLetters.STATE_HEADER).value(), "the unreadable state kept");
        List<ScoredReading> judged = scores.readValuesToList();
        assertEquals(45, judged.size(), "46 inputs = 45 judged + 1 dead-lettered");
        assertEquals(START + 41 * STEP, judged.get(40).getTimestamp().toEpochMilli(), "the series goes on with the next reading");
        assertEquals(5, new PackedSeriesState(DetectorSettings.from(config)).decode(store().get(SERIES)).readings(),
                "from a fresh state");
    }

    @Test
    void shouldDeadLetterAReadingWhoseStateIsATruncatedRealStateAndKeepJudgingTheOtherSeries() {
        start();
        regular(0, 40);
        byte[] real = store().get(SERIES);
        store().put(SERIES, java.util.Arrays.copyOf(real, real.length / 2));
        long ts = START + 40 * STEP;
        send(SERIES_KEY, reading(ts, 101), ts);
        send("other".getBytes(StandardCharsets.UTF_8), SeismoSerdes.READING.encode(new Reading("other", Instant.ofEpochMilli(ts), 5.0)), ts);
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertEquals(1, letters.size());
        assertEquals("STATE_UNREADABLE", letters.get(0).getReasonCode());
        assertEquals(41, scores.readValuesToList().size(), "42 inputs = 41 judged + 1 dead-lettered");
    }

    @Test
    void shouldDeadLetterAReadingWhoseOutputsWereRefusedInsteadOfJudgingIt() {
        start();
        regular(0, 10);
        long ahead = NOW.toEpochMilli() + 20 * STEP;
        policy.refused().refusedReading(SERIES_KEY, ahead, "the broker refused the output to scores: InvalidTimestampException");
        byte[] value = reading(ahead, 100);
        long at = send(SERIES_KEY, value, ahead);
        regular(10, 1);
        List<TestRecord<byte[], DeadLetter>> letters = deadLetters.readRecordsToList();
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0).value();
        assertEquals("OUTPUT_REFUSED", letter.getReasonCode());
        assertEquals(at, letter.getSourceOffset());
        assertArrayEquals(value, DeadLetters.bytes(letter.getValue()));
        assertTrue(letter.getReason().contains("InvalidTimestampException"), letter.getReason());
        assertEquals(NOW.toEpochMilli(), letters.get(0).timestamp(), "stamped with the clock, not the refused time");
        assertEquals(ahead, letter.getSourceTimestamp().toEpochMilli());
        assertEquals(11, scores.readValuesToList().size(), "12 inputs = 11 judged + 1 dead-lettered");
    }

    @Test
    void shouldDeadLetterARecordWhoseDeadLetterWasRefusedWithoutItsBytesThenDropItIfThatIsRefusedToo() {
        start();
        byte[] junk = new byte[5000];
        policy.refused().refusedSource("readings/0@0", "the broker refused the dead letter: RecordTooLargeException; the letter said UNDECODABLE: x");
        send(SERIES_KEY, junk, START);
        policy.refused().refusedSource("readings/0@1", "refused once");
        policy.refused().refusedSource("readings/0@1", "the reduced letter refused too");
        send(SERIES_KEY, junk, START);
        regular(1, 3);

        List<TestRecord<byte[], DeadLetter>> letters = deadLetters.readRecordsToList();
        assertEquals(1, letters.size(), "the second record is dropped");
        DeadLetter letter = letters.get(0).value();
        assertEquals("OUTPUT_REFUSED", letter.getReasonCode());
        assertEquals(0, letter.getSourceOffset());
        assertEquals("readings", letter.getSourceTopic());
        assertNull(letter.getValue());
        assertNull(letter.getKey());
        assertTrue(letter.getTruncated());
        assertTrue(letter.getReason().contains("UNDECODABLE"), letter.getReason());
        assertNotNull(letters.get(0).headers().lastHeader(DeadLetters.REDUCED_HEADER));
        assertEquals(1, policy.refused().droppedCount());
        assertEquals(3, scores.readValuesToList().size(), "5 inputs = 3 judged + 1 dead-lettered + 1 dropped (counted)");
    }
}
