package io.seismo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import io.seismo.score.ScoringRun;
import io.seismo.score.SeriesCsv;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seismo score} on a real in-process broker: CSV files scored in NAB's layout, identically on two runs; a
 * backfill of a topic's time window under its own application id, leaving production state and alerts untouched; and
 * the determinism of event-time runs with retraining (same releases, same scores).
 */
class ScoreCommandIT {
    /** A small model and quick retraining, so that runs take seconds and still publish several releases. */
    private static final String[] SMALL = {"--set", "model.hidden.size=8", "--set", "train.epochs=8", "--set", "train.min.new.samples=300",
            "--set", "train.min.samples.per.series=200", "--set", "train.validation.margin=0", "--set", "detect.spot.calibration=100"};
    private static final DateTimeFormatter NAB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final int SPIKE_ROW = 1100;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @TempDir
    Path temp;

    private final BrokerTestSupport.Cli cli = new BrokerTestSupport.Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @Test
    void shouldScoreCsvFilesInNabLayoutOneRowPerInputRowAndIdenticallyOnTwoRuns() throws Exception {
        Path data = temp.resolve("data");
        writeCsv(data.resolve("plant/boiler.csv"), 1400, 1);
        writeCsv(data.resolve("office/hvac.csv"), 1300, 2);

        int first = cli.run(withSmall("score", data.toString(), "--out", temp.resolve("run1").toString(), "--parallel", "2"));
        assertEquals(0, first, out.toString() + err);
        int second = cli.run(withSmall("score", data.toString(), "--out", temp.resolve("run2").toString(), "--parallel", "1"));
        assertEquals(0, second, out.toString() + err);

        for (String file : List.of("plant/seismo_boiler.csv", "office/seismo_hvac.csv")) {
            Path a = temp.resolve("run1/seismo").resolve(file);
            Path b = temp.resolve("run2/seismo").resolve(file);
            assertTrue(Files.exists(a), "NAB results layout: " + a);
            String input = file.startsWith("plant") ? "plant/boiler.csv" : "office/hvac.csv";
            List<String> in = Files.readAllLines(data.resolve(input));
            List<String> scored = Files.readAllLines(a);
            assertEquals("timestamp,value,anomaly_score,expected,lower,upper,error,threshold,alert,event,reason,model", scored.get(0));
            assertEquals(in.size(), scored.size(), "one row per input row");
            for (int i = 1; i < in.size(); i++) {
                String[] row = scored.get(i).split(",", -1);
                assertEquals(in.get(i).split(",")[0], row[0], "same timestamps in the same order, row " + i);
                double score = Double.parseDouble(row[2]);
                assertTrue(score >= 0 && score <= 1, "score in [0,1]: " + score);
            }
            assertEquals(Files.readAllLines(a), Files.readAllLines(b), "two runs of the same input give the same output: " + file);
        }
        // The injected spike is where the boiler's score peaks.
        List<String> boiler = Files.readAllLines(temp.resolve("run1/seismo/plant/seismo_boiler.csv"));
        int peak = 1;
        for (int i = 1; i < boiler.size(); i++) {
            if (Double.parseDouble(boiler.get(i).split(",")[2]) > Double.parseDouble(boiler.get(peak).split(",")[2])) {
                peak = i;
            }
        }
        assertTrue(Math.abs(peak - (SPIKE_ROW + 1)) <= 2, "score peaks at the spike (row " + (SPIKE_ROW + 1) + "), not row " + peak);
        assertEquals("1", boiler.get(SPIKE_ROW + 1).split(",")[8], "the spike is alerted");
        assertTrue(Files.exists(temp.resolve("run1/report.html")));
        assertTrue(Files.size(temp.resolve("run1/charts/plant/boiler.png")) > 10_000, "a chart per file");
        assertTrue(Files.readString(temp.resolve("run1/report.html")).contains("charts/office/hvac.png"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertTrue(admin.listTopics().names().get().stream().noneMatch(t -> t.startsWith("seismo-score-")),
                    "the runs' topics are deleted");
        }
    }

    @Test
    void eventTimeRunsWithRetrainingShouldGiveIdenticalReleasesAndScores() throws Exception {
        // A model that can learn the cycle in one run, so that releases are published and retrained ones replace them.
        SeismoConfig base = SeismoConfig.defaults().with(smallConfig()).with(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "model.hidden.size", "16", "train.epochs", "30", "train.min.new.samples", "250"));
        // The period changes part-way, so retraining on the new regime beats the release in force and is published.
        List<ScoringRun.SeriesInput> inputs = List.of(series("a", 900, 3, true), series("b", 900, 4, true), series("c", 900, 5, true));
        List<String> refusals = new ArrayList<>();
        ScoringRun.Result one = isolatedRun(base, "determinism-1-", inputs, refusals);
        ScoringRun.Result two = isolatedRun(base, "determinism-2-", inputs, new ArrayList<>());

        assertTrue(one.releases().size() >= 2, "retrained during the run: " + one.releases().size() + " releases; refused: " + refusals);
        assertEquals(one.releases().size(), two.releases().size());
        for (int i = 0; i < one.releases().size(); i++) {
            ModelRelease r1 = one.releases().get(i);
            ModelRelease r2 = two.releases().get(i);
            assertEquals(r1.getVersion(), r2.getVersion());
            assertEquals(r1.getCreatedAt(), r2.getCreatedAt(), "dated by event time");
            assertEquals(r1.getWeights(), r2.getWeights(), "same weights, release " + r1.getVersion());
        }
        assertEquals(one.scores().keySet(), two.scores().keySet());
        for (String s : one.scores().keySet()) {
            List<ScoredReading> a = one.scores().get(s);
            assertEquals(900, a.size());
            List<ScoredReading> b = two.scores().get(s);
            for (int i = 0; i < a.size(); i++) {
                // Compared as text: the band is NaN during warm-up, and NaN equals nothing.
                assertEquals(a.get(i).toString(), b.get(i).toString(), "same score, model version included, for reading " + i + " of series " + s);
            }
            assertTrue(a.get(a.size() - 1).getModelVersion() >= 2, "the last readings are scored by a retrained model");
        }
        assertEquals(one.events().toString(), two.events().toString(), "same anomaly events");
    }

    @Test
    void backfillShouldScoreTheWindowUnderItsOwnApplicationAndLeaveProductionUntouched() throws Exception {
        SeismoConfig production = SeismoConfig.defaults().with(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "topic.readings", "bf-readings", "topic.anomalies", "bf-anomalies", "topic.training", "bf-training",
                "topic.models", "bf-models", "topic.deadletter", "bf-deadletter", "application.id", "bf-detector"));
        TopicAdmin.ensureTopics(production.clientConfig(), TopicPlan.of(production), Duration.ofSeconds(30));
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));
        Map<String, Integer> inWindow = new HashMap<>();
        Instant from = start.plus(Duration.ofMinutes(100));
        Instant to = start.plus(Duration.ofMinutes(1000));
        try (KafkaProducer<String, byte[]> producer = BrokerTestSupport.producer(broker.bootstrapServers())) {
            List<String> ids = List.of("pump-1", "pump-2", "fan-1");
            List<ScoringRun.SeriesInput> history = ids.stream().map(s -> series(s, 1100, s.hashCode(), false)).toList();
            // In time order, series interleaved, as a live topic is written.
            for (int i = 0; i < 1100; i++) {
                Instant ts = start.plus(Duration.ofMinutes(i));
                for (int k = 0; k < ids.size(); k++) {
                    String s = ids.get(k);
                    producer.send(new ProducerRecord<>("bf-readings", null, ts.toEpochMilli(), s,
                            SeismoSerdes.READING.encode(new Reading(s, ts, history.get(k).values()[i]))));
                    if (s.startsWith("pump") && !ts.isBefore(from) && ts.isBefore(to)) {
                        inWindow.merge(s, 1, Integer::sum);
                    }
                }
            }
            producer.flush();
        }
        Path dir = temp.resolve("backfill");
        int code = cli.run(withSmall("score", "--topic", "bf-readings", "--from", from.toString(), "--to", to.toString(), "--series", "pump-*",
                "--out", dir.toString(), "--set", "bootstrap.servers=" + broker.bootstrapServers(), "--set", "topic.readings=bf-readings",
                "--set", "topic.anomalies=bf-anomalies", "--set", "topic.training=bf-training", "--set", "topic.models=bf-models",
                "--set", "topic.deadletter=bf-deadletter", "--set", "application.id=bf-detector"));
        assertEquals(0, code, out.toString() + err);
        assertEquals(Map.of("pump-1", 900, "pump-2", 900), inWindow);
        for (String s : List.of("pump-1", "pump-2")) {
            Path result = dir.resolve("seismo/bf-readings/seismo_" + s + ".csv");
            assertTrue(Files.exists(result), "result of " + s + " in " + listing(dir) + "\n" + out);
            List<String> rows = Files.readAllLines(dir.resolve("seismo/bf-readings/seismo_" + s + ".csv"));
            assertEquals(900 + 1, rows.size(), "a header and the window's readings of " + s);
            assertEquals(from.toString(), rows.get(1).split(",")[0]);
            assertTrue(Files.exists(dir.resolve("charts/" + s + ".png")));
        }
        assertFalse(Files.exists(dir.resolve("seismo/bf-readings/seismo_fan-1.csv")), "series not matching --series are left out");
        assertTrue(Files.readString(dir.resolve("report.html")).contains("pump-2"));
        // Production untouched: its output topics are still empty, its application never ran, the run's topics are gone.
        for (String topic : List.of("bf-anomalies", "bf-training", "bf-deadletter", "bf-models")) {
            assertEquals(0, endOffsets(topic), topic + " is untouched");
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Set<String> groups = new java.util.HashSet<>();
            admin.listGroups().all().get().forEach(g -> groups.add(g.groupId()));
            assertFalse(groups.contains("bf-detector"), "the production application id is not used: " + groups);
            assertTrue(admin.listTopics().names().get().stream().noneMatch(t -> t.startsWith("seismo-backfill-")),
                    "the backfill's topics are deleted");
        }
    }

    @Test
    void inProcessAndBrokerDrivenScoringShouldWriteByteIdenticalResultFiles() throws Exception {
        Path data = temp.resolve("data");
        writeCsv(data.resolve("plant/boiler.csv"), 1400, 1);
        writeCsv(data.resolve("office/hvac.csv"), 1300, 2);

        int inProcess = cli.run(withSmall("score", data.toString(), "--out", temp.resolve("in-process").toString(), "--no-charts"));
        assertEquals(0, inProcess, out.toString() + err);
        String inProcessTable = out.toString();
        int throughBroker = cli.run(withSmall("score", data.toString(), "--out", temp.resolve("broker").toString(), "--no-charts",
                "--engine", "broker"));
        assertEquals(0, throughBroker, out.toString() + err);

        for (String file : List.of("plant/seismo_boiler.csv", "office/seismo_hvac.csv")) {
            byte[] a = Files.readAllBytes(temp.resolve("in-process/seismo").resolve(file));
            byte[] b = Files.readAllBytes(temp.resolve("broker/seismo").resolve(file));
            assertTrue(a.length > 10_000, file);
            assertTrue(java.util.Arrays.equals(a, b), "the same bytes whichever engine drives the topology: " + file);
        }
        assertTrue(inProcessTable.contains("in-process engine"), inProcessTable);
        assertTrue(out.toString().contains("broker engine"), out.toString());
    }

    @Test
    void inProcessAndBrokerDrivenRunsShouldPublishIdenticalReleasesAndScores() {
        SeismoConfig base = SeismoConfig.defaults().with(smallConfig()).with(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "model.hidden.size", "16", "train.epochs", "30", "train.min.new.samples", "250"));
        // A spike in each series, so that episodes open and close on both engines.
        List<ScoringRun.SeriesInput> inputs = List.of(withSpike(series("a", 900, 3, true), 700), withSpike(series("b", 900, 4, true), 650),
                series("c", 900, 5, true));
        List<String> refusals = new ArrayList<>();
        ScoringRun.Result inProcess = isolatedRun(base, "engines-1-", inputs, refusals, ScoringRun.Engine.IN_PROCESS, true);
        ScoringRun.Result throughBroker = isolatedRun(base, "engines-2-", inputs, new ArrayList<>(), ScoringRun.Engine.BROKER, true);

        assertTrue(inProcess.releases().size() >= 2, "retrained during the run: " + inProcess.releases().size() + "; refused " + refusals);
        assertEquals(withoutTrainingTime(inProcess.releases()), withoutTrainingTime(throughBroker.releases()),
                "the same releases, weights, lineage and dates included");
        assertEquals(inProcess.scores().keySet(), throughBroker.scores().keySet());
        for (String s : inProcess.scores().keySet()) {
            assertEquals(inProcess.scores().get(s).toString(), throughBroker.scores().get(s).toString(), "the same scores of series " + s);
            assertEquals(eventsOf(inProcess, s), eventsOf(throughBroker, s), "the same episode events of series " + s);
        }
        assertTrue(eventsOf(inProcess, "a").contains("OPENED"), "the spike opens an episode: " + eventsOf(inProcess, "a"));
    }

    @Test
    void noRetrainShouldPublishNoReleaseOnEitherEngine() {
        SeismoConfig base = SeismoConfig.defaults().with(smallConfig()).with(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "model.hidden.size", "16", "train.epochs", "30", "train.min.new.samples", "250"));
        List<ScoringRun.SeriesInput> inputs = List.of(series("a", 900, 3, true), series("b", 900, 4, true), series("c", 900, 5, true));
        ScoringRun.Result retrained = isolatedRun(base, "retrain-", inputs, new ArrayList<>(), ScoringRun.Engine.IN_PROCESS, true);
        assertFalse(retrained.releases().isEmpty(), "the same input retrains when retraining is on");
        for (ScoringRun.Engine engine : ScoringRun.Engine.values()) {
            ScoringRun.Result r = isolatedRun(base, "no-retrain-" + engine.label() + "-", inputs, new ArrayList<>(), engine, false);
            assertEquals(List.of(), r.releases(), engine.label());
            assertTrue(r.scores().get("a").stream().allMatch(x -> x.getModelVersion() == 0), "every reading scored by the baseline");
        }
    }

    @Test
    void aBackfillSeveralTimesTheHeapShouldScoreEveryReadingExactlyOnce() throws Exception {
        // 300 series of long ids, 1,000 readings each: about 100 MB on the topic, several hundred MB as objects, against a
        // heap of 64 MB in the scoring JVM. Held in memory, the window would not fit; streamed, it must.
        int seriesCount = 300;
        int perSeries = 1000;
        String topic = "big-readings";
        TopicAdmin.ensureTopics(Map.of("bootstrap.servers", broker.bootstrapServers()), List.of(TopicSpec.of(topic, 4)),
                Duration.ofSeconds(30));
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2));
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < seriesCount; k++) {
            ids.add(String.format(Locale.ROOT, "s%04d-", k) + "x".repeat(300));
        }
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = BrokerTestSupport.producer(broker.bootstrapServers())) {
            for (int i = 0; i < perSeries; i++) {
                Instant ts = start.plus(Duration.ofMinutes(i));
                for (int k = 0; k < seriesCount; k++) {
                    byte[] value = SeismoSerdes.READING.encode(new Reading(ids.get(k), ts, 10 + Math.sin(i / 7.0 + k) + (i * 31 + k) % 5 * 0.01));
                    bytes += value.length + ids.get(k).length();
                    producer.send(new ProducerRecord<>(topic, null, ts.toEpochMilli(), ids.get(k), value));
                }
            }
            producer.flush();
        }
        assertTrue(bytes > 90L << 20, "the window is " + (bytes >> 20) + " MB");
        Path dir = temp.resolve("big");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.seismo.schema,java.lang,java.util,java.math,java.time",
                "-cp", System.getProperty("java.class.path"), "io.seismo.cli.SeismoCommand", "score", "--topic", topic,
                "--from", start.toString(), "--to", start.plus(Duration.ofMinutes(perSeries)).toString(), "--out", dir.toString(),
                "--no-retrain", "--no-charts", "--set", "bootstrap.servers=" + broker.bootstrapServers());
        Path log = temp.resolve("big.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(ended, "the backfill ends: " + output);
        assertEquals(0, process.exitValue(), output);
        assertFalse(output.contains("OutOfMemoryError"), output);
        for (int k = 0; k < seriesCount; k++) {
            Path result = dir.resolve("seismo/" + topic + "/seismo_" + SeriesCsv.fileName(ids.get(k)) + ".csv");
            List<String> rows = Files.readAllLines(result);
            assertEquals(perSeries + 1, rows.size(), "a header and every reading of series " + k + ", once");
            for (int i = 1; i <= perSeries; i++) {
                String[] row = rows.get(i).split(",", -1);
                assertEquals(start.plus(Duration.ofMinutes(i - 1)).toString(), row[0], "reading " + i + " of series " + k + " in order");
                assertFalse(row[2].isEmpty(), "scored");
            }
        }
        assertTrue(output.contains(String.format(Locale.ROOT, "%,d readings scored", seriesCount * perSeries)), output);
    }

    private static ScoringRun.Result isolatedRun(SeismoConfig base, String prefix, List<ScoringRun.SeriesInput> inputs,
                                                 List<String> refusals) {
        return isolatedRun(base, prefix, inputs, refusals, ScoringRun.Engine.IN_PROCESS, true);
    }

    /** A run on its own topics; for the broker engine it also checks that the run's models topic holds its releases, no more. */
    private static ScoringRun.Result isolatedRun(SeismoConfig base, String prefix, List<ScoringRun.SeriesInput> inputs, List<String> refusals,
                                                 ScoringRun.Engine engine, boolean retrain) {
        Path state = ScoringRun.stateDirectory();
        SeismoConfig config = ScoringRun.isolated(base, prefix, state, 2);
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        try {
            ScoringRun.Result result = ScoringRun.run(config, inputs, new ScoringRun.Options(150, retrain, null, engine), new ScoringRun.Progress() {
                @Override
                public void advanced(long judged, long total) {
                }

                @Override
                public void refused(String reason) {
                    refusals.add(reason);
                }
            });
            if (engine == ScoringRun.Engine.BROKER) {
                assertEquals(result.releases().size(), endOffsetsOf(config.topics().models()), "every release published is on the models topic");
            }
            return result;
        } finally {
            TopicAdmin.deleteTopicsWithPrefix(config.clientConfig(), prefix, Duration.ofSeconds(30));
        }
    }

    private static Map<String, String> smallConfig() {
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i < SMALL.length; i += 2) {
            String[] kv = SMALL[i].split("=", 2);
            m.put(kv[0], kv[1]);
        }
        return m;
    }

    private static String[] withSmall(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(SMALL));
        if (all.stream().noneMatch(a -> a.startsWith("bootstrap.servers="))) {
            all.addAll(List.of("--set", "bootstrap.servers=" + broker.bootstrapServers()));
        }
        return all.toArray(String[]::new);
    }

    /** The series with one reading raised by 40 (its noise has a standard deviation of 0.5). */
    private static ScoringRun.SeriesInput withSpike(ScoringRun.SeriesInput in, int at) {
        double[] v = in.values().clone();
        v[at] += 40;
        return new ScoringRun.SeriesInput(in.series(), in.timestamps(), v);
    }

    /** Releases as compared across runs: everything but how long the training took on the wall clock. */
    private static List<String> withoutTrainingTime(List<ModelRelease> releases) {
        return releases.stream().map(r -> {
            ModelRelease copy = ModelRelease.newBuilder(r).build();
            copy.getTraining().setDurationMillis(0L);
            return copy.toString();
        }).toList();
    }

    private static String eventsOf(ScoringRun.Result r, String series) {
        return r.events().stream().filter(e -> e.getSeries().equals(series)).toList().toString();
    }

    /** A noisy cycle sampled every minute, seeded; with {@code drift}, its period shortens half-way. */
    private static ScoringRun.SeriesInput series(String id, int n, long seed, boolean drift) {
        Random random = new Random(seed);
        long[] t = new long[n];
        double[] v = new double[n];
        long t0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < n; i++) {
            t[i] = t0 + i * 60_000L;
            double period = drift && i >= n / 2 ? 11.0 : 20.0;
            v[i] = 50 + 10 * Math.sin(2 * Math.PI * i / period) + 0.5 * random.nextGaussian();
        }
        return new ScoringRun.SeriesInput(id, t, v);
    }

    private static void writeCsv(Path file, int rows, long seed) throws Exception {
        Files.createDirectories(file.getParent());
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        LocalDateTime t = LocalDateTime.of(2015, 2, 1, 0, 0);
        for (int i = 0; i < rows; i++) {
            double v = 20 + 5 * Math.sin(2 * Math.PI * i / 96.0) + 0.3 * random.nextGaussian();
            if (seed == 1 && i == SPIKE_ROW) {
                v += 15;
            }
            sb.append(NAB_TIME.format(t.plusMinutes(5L * i))).append(',').append(String.format(Locale.ROOT, "%.4f", v)).append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    private static List<String> listing(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.map(Path::toString).toList();
        }
    }

    private long endOffsets(String topic) {
        return endOffsetsOf(topic);
    }

    private static long endOffsetsOf(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

}
