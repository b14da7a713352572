package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.nn.CellType;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import io.seismo.nn.Trainer;
import io.seismo.nn.TrainingConfig;
import io.seismo.nn.TrainingListener;
import io.seismo.nn.TrainingResult;
import io.seismo.release.ModelReleases;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.SeriesStateView;
import io.seismo.schema.TrainingInfo;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeismoTopologyTest {
    private static final long STEP = 60_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String SERIES = "sensor-1";
    private static final int PERIOD = 48;

    @TempDir
    Path stateDir;

    private SeismoConfig config;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> readings;
    private TestInputTopic<String, byte[]> models;
    private TestOutputTopic<String, AnomalyEvent> anomalies;
    private TestOutputTopic<String, Reading> training;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    @BeforeEach
    void startDriver() {
        config = SeismoConfig.defaults().with(Map.of(
                "bootstrap.servers", "localhost:9",
                "state.dir", stateDir.toString(),
                "model.hidden.size", "8",
                "model.inputs", "value",
                "model.window", "64"));
        driver = new TopologyTestDriver(SeismoTopology.build(config), DetectorApp.streamsProperties(config));
        readings = driver.createInputTopic("readings", new StringSerializer(), new ByteArraySerializer());
        models = driver.createInputTopic("models", new StringSerializer(), new ByteArraySerializer());
        anomalies = driver.createOutputTopic("anomalies", new StringDeserializer(), SeismoSerdes.ANOMALY.deserializer());
        training = driver.createOutputTopic("training", new StringDeserializer(), SeismoSerdes.READING.deserializer());
        deadLetters = driver.createOutputTopic("deadletter", new ByteArrayDeserializer(), SeismoSerdes.DEAD_LETTER.deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    /** A clean daily-like cycle with a little seeded noise. */
    private static double[] periodic(int n, long seed) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 100 + 10 * Math.sin(2 * Math.PI * i / PERIOD) + 0.2 * random.nextGaussian();
        }
        return values;
    }

    private void pipe(double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            long ts = START + i * STEP;
            readings.pipeInput(SERIES, SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(ts), values[i])), ts);
        }
    }

    private List<AnomalyEvent> opened() {
        List<AnomalyEvent> out = new ArrayList<>();
        for (AnomalyEvent e : anomalies.readValuesToList()) {
            if (e.getKind() == EpisodeEventKind.OPENED) {
                out.add(e);
            }
        }
        return out;
    }

    private SeriesStateView storedState() {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(SeismoTopology.Names.DEFAULT.stateStore());
        byte[] packed = store.get(SERIES);
        return packed == null ? null : new PackedSeriesState(DetectorSettings.from(config)).toAvro(packed);
    }

    @Test
    void shouldRaiseNoAnomalyOnACleanPeriodicSeriesAfterWarmUp() {
        double[] values = periodic(3000, 1);
        pipe(values, 0, values.length);
        assertEquals(List.of(), opened());
        assertEquals(3000, storedState().getReadings());
        assertEquals(3000, training.getQueueSize(), "every normal reading goes to the training side topic");
    }

    @Test
    void normalReadingsGoToTrainingAsTheBytesTheyCameAs() {
        double[] values = periodic(100, 3);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            long ts = START + i * STEP;
            byte[] bytes = SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(ts), values[i]));
            sent.add(bytes);
            readings.pipeInput(SERIES, bytes, ts);
        }
        TestOutputTopic<String, byte[]> raw = driver.createOutputTopic("training", new StringDeserializer(), new ByteArrayDeserializer());
        List<TestRecord<String, byte[]>> forwarded = raw.readRecordsToList();
        assertEquals(values.length, forwarded.size(), "every normal reading goes to training");
        for (int i = 0; i < forwarded.size(); i++) {
            assertEquals(SERIES, forwarded.get(i).key());
            assertArrayEquals(sent.get(i), forwarded.get(i).value(), "reading " + i + " is forwarded byte for byte");
            assertEquals(START + i * STEP, forwarded.get(i).timestamp());
        }
    }

    @Test
    void shouldRaiseOneAnomalyForASpike() {
        assertOneEpisodeAt(1500, values -> {
            values[1500] += 60;
            return values;
        });
    }

    @Test
    void shouldRaiseOneAnomalyForALevelShift() {
        assertOneEpisodeAt(1500, values -> {
            for (int i = 1500; i < values.length; i++) {
                values[i] += 40;
            }
            return values;
        });
    }

    @Test
    void shouldRaiseOneAnomalyForAStuckSensor() {
        assertOneEpisodeAt(1500, values -> {
            for (int i = 1500; i < 1560; i++) {
                values[i] = values[1500];
            }
            return values;
        });
    }

    private void assertOneEpisodeAt(int index, java.util.function.UnaryOperator<double[]> inject) {
        double[] values = inject.apply(periodic(2000, 2));
        pipe(values, 0, values.length);
        List<AnomalyEvent> opened = opened();
        assertEquals(1, opened.size(), () -> "episodes: " + opened);
        long start = opened.get(0).getEpisodeStart().toEpochMilli();
        assertTrue(start >= START + index * STEP && start <= START + (index + 15) * STEP,
                "episode starts at the anomaly, got step " + (start - START) / STEP);
        AnomalyEvent e = opened.get(0);
        assertEquals(SERIES, e.getSeries());
        assertTrue(e.getScore() >= 0.5 && e.getScore() <= 1, "score " + e.getScore());
        assertTrue(e.getThreshold() > 0);
        assertEquals(config.detectorConfigId(), e.getDetectorConfigId());
        assertEquals(0, e.getModelVersion(), "scored by the baseline forecaster before any model");
    }

    @Test
    void shouldNotForwardAnomalousReadingsToTraining() {
        double[] values = periodic(1200, 3);
        values[1000] += 80;
        pipe(values, 0, values.length);
        List<Long> trained = new ArrayList<>();
        for (TestRecord<String, Reading> r : training.readRecordsToList()) {
            trained.add(r.timestamp());
        }
        assertEquals(1, opened().size());
        assertTrue(!trained.contains(START + 1000 * STEP), "the spike is not learned from");
        assertTrue(trained.contains(START + 999 * STEP) && trained.size() < 1200);
    }

    @Test
    void shouldSwapInANewModelAndReWarmWithoutABurstOfAnomalies() {
        double[] values = periodic(4000, 4);
        pipe(values, 0, 2000);
        assertEquals(List.of(), opened());
        assertEquals(0, storedState().getModelVersion());

        models.pipeInput(config.model().name(), ModelReleases.encode(trainedRelease(values, 1)));
        driver.advanceWallClockTime(Duration.ofMillis(config.model().checkIntervalMs() + 1));
        pipe(values, 2000, 3500);
        assertEquals(List.of(), opened(), "no burst of anomalies after the swap");
        SeriesStateView state = storedState();
        assertEquals(1, state.getModelVersion());
        assertEquals(2 * 8, state.getRecurrent().size(), "recurrent state of the new model (h and c of 8 units)");

        values[3600] += 60;
        pipe(values, 3500, 3700);
        List<AnomalyEvent> opened = opened();
        assertEquals(1, opened.size());
        assertEquals(1, opened.get(0).getModelVersion(), "scored by the new model");
    }

    @Test
    void shouldTakeANewReleaseUpOnTheFirstReadingAfterItArrivesWithoutWaitingForTheWallClock() {
        double[] values = periodic(2000, 4);
        pipe(values, 0, 400);
        models.pipeInput(config.model().name(), ModelReleases.encode(trainedRelease(values, 1)));
        // No wall-clock time passes: the global store's updater announces the release to the detector.
        pipe(values, 400, 401);
        assertEquals(1, storedState().getModelVersion(), "the very next reading is scored with release 1");
    }

    @Test
    void shouldRefuseAModelOfTheWrongShapeAndKeepTheBaseline() {
        double[] values = periodic(600, 5);
        pipe(values, 0, 300);
        Network wrong = Network.initialise(new NetworkShape(CellType.LSTM, 1, 4, 1), 3);
        models.pipeInput(config.model().name(), ModelReleases.encode(ModelReleases.toRelease(config.model().name(), 1, 0, wrong,
                TrainingInfo.newBuilder().build(), Instant.EPOCH)));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        pipe(values, 300, 600);
        assertEquals(0, storedState().getModelVersion());
        assertEquals(600, storedState().getReadings());
    }

    @Test
    void shouldKeepTheModelInForceWhenANewReleaseDoesNotFit() {
        double[] values = periodic(2400, 7);
        pipe(values, 0, 1600);
        models.pipeInput(config.model().name(), ModelReleases.encode(trainedRelease(values, 1)));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        pipe(values, 1600, 2000);
        assertEquals(1, storedState().getModelVersion());

        Network misfit = Network.initialise(new NetworkShape(CellType.LSTM, 1, 8, 2), 3);
        models.pipeInput(config.model().name(), ModelReleases.encode(ModelReleases.toRelease(config.model().name(), 2, 1, misfit,
                TrainingInfo.newBuilder().build(), Instant.EPOCH)));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        pipe(values, 2000, 2400);
        assertEquals(1, storedState().getModelVersion(), "release 2 does not fit and release 1 stays in force");
        assertEquals(2400, storedState().getReadings());
    }

    @Test
    void shouldDeadLetterBadRecordsWithTheReasonAndKeepProcessing() {
        double[] values = periodic(200, 6);
        pipe(values, 0, 100);
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        readings.pipeInput(SERIES, garbage, START + 100 * STEP);
        readings.pipeInput(SERIES, SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(START + 100 * STEP), Double.NaN)));
        readings.pipeInput((String) null, SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(START + 100 * STEP), 1.0)));
        readings.pipeInput("other", SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(START + 100 * STEP), 1.0)));
        readings.pipeInput(SERIES, SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(START + 50 * STEP), 1.0)));
        readings.pipeInput(SERIES, (byte[]) null);
        pipe(values, 100, 200);

        List<TestRecord<byte[], DeadLetter>> letters = deadLetters.readRecordsToList();
        List<String> reasons = new ArrayList<>();
        letters.forEach(r -> reasons.add(r.value().getReasonCode()));
        assertEquals(List.of("UNDECODABLE", "NON_FINITE_VALUE", "NULL_KEY", "KEY_MISMATCH", "OUT_OF_ORDER", "NULL_VALUE"), reasons);
        DeadLetter first = letters.get(0).value();
        assertArrayEquals(garbage, first.getValue().array(), "the original bytes are kept");
        assertEquals("readings", first.getSourceTopic());
        assertEquals(100, first.getSourceOffset(), "offset of the bad record in the input");
        Header reason = letters.get(0).headers().lastHeader(DeadLetters.REASON_HEADER);
        assertNotNull(reason);
        assertTrue(new String(reason.value(), StandardCharsets.UTF_8).startsWith("UNDECODABLE"));
        assertEquals(200, storedState().getReadings(), "processing continued after the bad records");
    }

    /** A small LSTM trained on the standardised cycle, as the trainer would publish it. */
    private ModelRelease trainedRelease(double[] values, long version) {
        double mean = 100;
        double sd = 10 / Math.sqrt(2);
        DoubleUnaryOperator scale = v -> (v - mean) / sd;
        List<double[]> sequences = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            double[] seq = new double[400];
            for (int i = 0; i < seq.length; i++) {
                seq[i] = scale.applyAsDouble(values[s * 400 + i]);
            }
            sequences.add(seq);
        }
        NetworkShape shape = ModelReleases.configuredShape(config.model());
        TrainingConfig training = new TrainingConfig(24, 8, 60, 1e-2, 1.0, 0.2, 8, 11);
        TrainingResult result = Trainer.train(Network.initialise(shape, 11), sequences, training, TrainingListener.NONE);
        assertTrue(result.validationLoss() < 0.5 * result.naiveLoss(), "the test model predicts well: " + result);
        Network network = result.network();
        return ModelReleases.toRelease(config.model().name(), version, 0, network, TrainingInfo.newBuilder().build(), Instant.EPOCH);
    }
}
