package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesState;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.AnomalyReason;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.Reading;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Silent series, idle series' expiry and the counts beside the states, through the topology with both clocks. */
class SilenceTopologyTest {
    private static final long STEP = 60_000L;
    private static final Instant WALL = Instant.parse("2026-06-01T00:00:00Z");
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private PackedSeriesState packed;
    private TestInputTopic<String, byte[]> readings;
    private TestOutputTopic<String, AnomalyEvent> anomalies;
    private final Map<String, Integer> sent = new HashMap<>();
    private final Random random = new Random(3);

    private void start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("bootstrap.servers", "localhost:9", "state.dir", stateDir.toString(),
                "model.hidden.size", "8", "model.inputs", "value", "state.sweep.interval.ms", "1000"));
        all.putAll(settings);
        SeismoConfig config = SeismoConfig.defaults().with(all);
        packed = new PackedSeriesState(DetectorSettings.from(config));
        driver = new TopologyTestDriver(SeismoTopology.build(config), DetectorApp.streamsProperties(config), WALL);
        readings = driver.createInputTopic("readings", new StringSerializer(), new ByteArraySerializer());
        anomalies = driver.createOutputTopic("anomalies", new StringDeserializer(), SeismoSerdes.ANOMALY.deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** The series' next reading, a minute after its last in event time; {@code value} NaN for a normal one. */
    private long reading(String series, double value) {
        int i = sent.merge(series, 1, Integer::sum) - 1;
        long ts = START + i * STEP;
        double v = Double.isNaN(value) ? 50 + 5 * Math.sin(i / 8.0) + 0.3 * random.nextGaussian() : value;
        readings.pipeInput(series, SeismoSerdes.READING.encode(new Reading(series, Instant.ofEpochMilli(ts), v)), ts);
        return ts;
    }

    /** {@code count} readings of each series, the wall clock moving a minute per round (a live stream). */
    private void live(int count, String... series) {
        for (int r = 0; r < count; r++) {
            for (String s : series) {
                reading(s, Double.NaN);
            }
            driver.advanceWallClockTime(Duration.ofMillis(STEP));
        }
    }

    private SeriesState state(String series) {
        byte[] bytes = driver.<String, byte[]>getKeyValueStore(SeismoTopology.Names.DEFAULT.stateStore()).get(series);
        return bytes == null ? null : packed.decode(bytes);
    }

    private List<AnomalyEvent> silentEvents() {
        return anomalies.readValuesToList().stream().filter(e -> e.getReason() == AnomalyReason.SILENT).toList();
    }

    /** The counts store's values, and the same counted by a scan of the states. */
    private void assertCountsMatchTheStates() {
        KeyValueStore<String, Long> counts = driver.getKeyValueStore(SeismoTopology.Names.DEFAULT.countsStore());
        long series = 0;
        long open = 0;
        try (KeyValueIterator<String, byte[]> it = driver.<String, byte[]>getKeyValueStore(SeismoTopology.Names.DEFAULT.stateStore()).all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                series++;
                open += SeriesCounts.isOpen(packed.decode(kv.value)) ? 1 : 0;
            }
        }
        assertEquals(series, counts.get(SeriesCounts.SERIES), "series counted");
        assertEquals(open, counts.get(SeriesCounts.OPEN), "open episodes counted");
    }

    @Test
    void shouldOpenASilentEpisodeOnTheWallClockAndCloseItOnTheNextReading() {
        start(Map.of());
        live(60, "pump-1", "pump-2");
        assertEquals(List.of(), silentEvents());
        long last = START + 59 * STEP;
        // pump-1 stops; pump-2 goes on. Nine gaps of silence are not ten.
        for (int m = 0; m < 9; m++) {
            reading("pump-2", Double.NaN);
            driver.advanceWallClockTime(Duration.ofMillis(STEP));
        }
        assertEquals(List.of(), silentEvents(), "nine typical gaps are within detect.silence.after=10");
        for (int m = 0; m < 3; m++) {
            reading("pump-2", Double.NaN);
            driver.advanceWallClockTime(Duration.ofMillis(STEP));
        }
        List<AnomalyEvent> opened = silentEvents();
        assertEquals(1, opened.size(), "one SILENT episode, for the series that stopped: " + opened);
        AnomalyEvent e = opened.get(0);
        assertEquals("pump-1", e.getSeries());
        assertEquals(EpisodeEventKind.OPENED, e.getKind());
        assertEquals(last + STEP, e.getEpisodeStart().toEpochMilli(), "the episode begins when the first missing reading was due");
        assertTrue(e.getEpisodeReadings() >= 9 && e.getEpisodeReadings() <= 11, "readings missed: " + e.getEpisodeReadings());
        assertTrue(e.getScore() >= 0.5, "a SILENT opening is an alert: " + e.getScore());
        assertTrue(state("pump-1").silent());
        assertFalse(state("pump-2").silent());
        assertCountsMatchTheStates();
        assertEquals(1L, driver.<String, Long>getKeyValueStore(SeismoTopology.Names.DEFAULT.countsStore()).get(SeriesCounts.OPEN));
        // Another quarter of an hour: no second event for the same silence.
        live(15, "pump-2");
        assertEquals(List.of(), silentEvents());
        // pump-1 reports again (its timestamps go on where they stopped): the SILENT episode closes.
        long back = reading("pump-1", Double.NaN);
        List<AnomalyEvent> closed = silentEvents();
        assertEquals(1, closed.size());
        assertEquals(EpisodeEventKind.CLOSED, closed.get(0).getKind());
        assertEquals(e.getEpisodeStart(), closed.get(0).getEpisodeStart(), "the same episode");
        assertEquals(back, closed.get(0).getTimestamp().toEpochMilli());
        assertFalse(state("pump-1").silent());
        assertCountsMatchTheStates();
    }

    @Test
    void shouldMeasureSilenceOnStreamTimeWhenAskedWhateverTheWallClockDoes() {
        start(Map.of("detect.silence.clock", "stream"));
        // A replay: event time runs ahead a minute per reading, the wall clock a second per round.
        for (int r = 0; r < 60; r++) {
            reading("a", Double.NaN);
            reading("b", Double.NaN);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
        for (int r = 0; r < 9; r++) {
            reading("b", Double.NaN);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
        assertEquals(List.of(), silentEvents(), "nine gaps of stream time");
        // A record that is no reading, stamped a year ahead, moves Kafka Streams' stream time but not the readings' time.
        readings.pipeInput("a", "not a reading".getBytes(java.nio.charset.StandardCharsets.UTF_8), START + 365L * 86_400_000L);
        driver.advanceWallClockTime(Duration.ofHours(1));
        assertEquals(List.of(), silentEvents(), "the wall clock alone silences nothing on stream time");
        for (int r = 0; r < 3; r++) {
            reading("b", Double.NaN);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
        List<AnomalyEvent> opened = silentEvents();
        assertEquals(1, opened.size());
        assertEquals("a", opened.get(0).getSeries());
        assertEquals(START + 70 * STEP, opened.get(0).getTimestamp().toEpochMilli(),
                "stamped with the stream time it was found at: eleven gaps after a's last reading");
    }

    @Test
    void shouldNotSilenceSeriesOfAReplayOnTheWallClockWhileItRuns() {
        start(Map.of());
        // Old timestamps, arriving fast: idleness counts from each arrival, not from the readings' event time.
        for (int r = 0; r < 100; r++) {
            reading("old-1", Double.NaN);
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
        assertEquals(List.of(), silentEvents());
    }

    @Test
    void shouldCloseAnOpenAnomalyEpisodeWhenItsSeriesFallsSilent() {
        start(Map.of());
        live(400, "valve");
        assertTrue(state("valve").spot().calibrated());
        reading("valve", 500);
        driver.advanceWallClockTime(Duration.ofMillis(STEP));
        List<AnomalyEvent> spike = anomalies.readValuesToList();
        assertEquals(EpisodeEventKind.OPENED, spike.get(spike.size() - 1).getKind(), "the spike opens an episode: " + spike);
        assertTrue(state("valve").inEpisode());
        driver.advanceWallClockTime(Duration.ofMillis(12 * STEP));
        List<AnomalyEvent> events = anomalies.readValuesToList();
        assertEquals(List.of(EpisodeEventKind.CLOSED, EpisodeEventKind.OPENED), events.stream().map(AnomalyEvent::getKind).toList(),
                "the open episode closes, then the SILENT one opens: " + events);
        assertEquals(spike.get(spike.size() - 1).getEpisodeStart(), events.get(0).getEpisodeStart());
        assertTrue(events.stream().allMatch(e -> e.getReason() == AnomalyReason.SILENT));
        assertFalse(state("valve").inEpisode());
        assertTrue(state("valve").silent());
        assertCountsMatchTheStates();
    }

    @Test
    void shouldExpireIdleSeriesWithATombstoneAndStartThemAfresh() {
        start(Map.of("state.ttl.ms", String.valueOf(30 * STEP), "detect.silence.after", "0"));
        live(40, "gone", "stays");
        assertCountsMatchTheStates();
        for (int m = 0; m < 29; m++) {
            reading("stays", Double.NaN);
            driver.advanceWallClockTime(Duration.ofMillis(STEP));
        }
        assertTrue(state("gone") != null, "idle 29 minutes of a 30-minute ttl");
        for (int m = 0; m < 3; m++) {
            reading("stays", Double.NaN);
            driver.advanceWallClockTime(Duration.ofMillis(STEP));
        }
        assertNull(state("gone"), "expired");
        assertEquals(72, state("stays").readings());
        assertEquals(List.of(), silentEvents(), "silence is off");
        assertCountsMatchTheStates();
        assertEquals(1L, driver.<String, Long>getKeyValueStore(SeismoTopology.Names.DEFAULT.countsStore()).get(SeriesCounts.SERIES));
        reading("gone", Double.NaN);
        assertEquals(1, state("gone").readings(), "a series that comes back starts afresh");
        assertCountsMatchTheStates();
    }

    @Test
    void shouldSweepABoundedNumberOfSeriesEachTimeAndReachThemAll() {
        start(Map.of("state.sweep.max.series", "10", "state.sweep.interval.ms", String.valueOf(STEP)));
        String[] fifty = new String[50];
        for (int i = 0; i < fifty.length; i++) {
            fifty[i] = String.format("s-%02d", i);
        }
        live(30, fifty);
        assertEquals(List.of(), silentEvents());
        // All fifty stop. Each sweep (one a minute) looks at ten series, from where the last one stopped.
        driver.advanceWallClockTime(Duration.ofMillis(11 * STEP));
        int found = 0;
        List<Integer> perSweep = new java.util.ArrayList<>();
        for (int sweep = 0; sweep < 6 && found < 50; sweep++) {
            List<AnomalyEvent> events = silentEvents();
            perSweep.add(events.size());
            assertTrue(events.size() <= 10, "at most state.sweep.max.series per sweep: " + perSweep);
            assertTrue(events.stream().allMatch(e -> e.getKind() == EpisodeEventKind.OPENED));
            found += events.size();
            driver.advanceWallClockTime(Duration.ofMillis(STEP));
        }
        assertEquals(List.of(10, 10, 10, 10, 10), perSweep, "a full turn takes five sweeps");
        assertEquals(50, found, "every series is reached");
        assertCountsMatchTheStates();
    }
}
