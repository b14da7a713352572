package io.seismo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.EmbeddedKafka;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.score.Backfill;
import io.seismo.score.FileScoring;
import io.seismo.score.HeapWatch;
import io.seismo.score.ScoringRun;
import io.seismo.stream.TopicPlan;
import io.seismo.train.SeriesPattern;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.DetectorWorkload;
import io.seismo.stream.PassThroughTopology;
import io.seismo.stream.SeismoSerdes;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seismo bench}: the detector against Kafka Streams' own floor, in one run on the embedded broker. The same
 * pre-produced readings go through a pass-through topology (decode, encode, write) and then through the detector,
 * with the same serdes and processing guarantee; then the detector is fed at a fixed rate to measure latency.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures, in one run on an embedded broker: records/s of a pass-through topology and of the detector over"
                + " the same pre-produced readings (same serdes, same processing guarantee) and their ratio; end-to-end latency"
                + " percentiles at a fixed offered rate; heap and RSS; bytes of state per series; bytes allocated per record by the"
                + " stream threads.",
                "Example: seismo bench   (500,000 readings over 1,000 series, 4 partitions, LSTM 1x32, exactly-once)",
                "Example: seismo bench --keys 1000000 --records 2000000 --rate 0   (a million series: state in RocksDB, heap bounded)",
                "Example: seismo bench --backfill --records 1000000   (seismo score --topic over a million readings: readings/s, heap)"},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:measured", "1:failed (one line on stderr says why)", "2:bad arguments"})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--records", paramLabel = "N", defaultValue = "500000", description = "Readings pre-produced (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--keys", paramLabel = "K", defaultValue = "1000", description = "Series (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "4", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "32", description = "Hidden units of the LSTM (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--guarantee", paramLabel = "G", defaultValue = "exactly_once_v2",
            description = "Processing guarantee of both topologies: exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "20000",
            description = "Offered readings/s for the latency phase; 0 skips it (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "10", description = "Length of the latency phase (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--backfill", description = "Instead of the topologies, time a backfill of the pre-produced readings, as seismo score"
            + " --topic runs it (in process, from the release in force, retraining unless --no-retrain): readings/s, the split"
            + " between judging and training, and the heap after GC in each quarter of the run.")
    boolean backfill;

    @Option(names = "--retrain", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --backfill: retrain on event time as the trainer would (default: on).")
    boolean retrain;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * One topology's pass over the pre-produced readings: its rate over the whole pass (start-up included) and its steady
     * rate, from its first commit to its last (start-up, the group's join and the stores' opening left out).
     */
    private record Pass(String name, double seconds, double recordsPerSecond, double steadyPerSecond, double allocatedPerRecord) {
    }

    @Override
    public Integer call() throws Exception {
        if (records < keys || keys < 1 || partitions < 1 || rate < 0 || latencySeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need records >= keys >= 1, partitions >= 1, rate >= 0");
        }
        Console.quietServiceLogs();
        PrintWriter o = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("seismo-bench");
        try (EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", broker.bootstrapServers());
            settings.put("application.id", "bench-detector");
            settings.put("state.dir", work.resolve("state").toString());
            settings.put("topic.partitions", Integer.toString(partitions));
            settings.put("processing.guarantee", guarantee);
            settings.put("model.hidden.size", Integer.toString(hidden));
            settings.put("topic.readings", "bench-readings");
            settings.put("topic.anomalies", "bench-anomalies");
            settings.put("topic.training", "bench-training");
            settings.put("topic.models", "bench-models");
            settings.put("topic.deadletter", "bench-deadletter");
            settings.put("topic.feedback", "bench-feedback");
            SeismoConfig config = configOptions.load(settings);
            TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(60));
            TopicAdmin.ensureTopics(config.clientConfig(), List.of(TopicSpec.of("bench-pass-out", partitions),
                    TopicSpec.of(LATENCY_PASS_IN, partitions)), Duration.ofSeconds(60));
            o.printf(Locale.ROOT, "bench: %,d readings over %,d series, %d partitions, %s %dx%d, %s; broker %s%n", records, keys, partitions,
                    config.model().cell(), config.model().layers(), hidden, guarantee, broker.bootstrapServers());
            o.flush();
            long firstTimestamp = produceHistory(config);
            publishModel(config);
            if (backfill) {
                backfill(config, Instant.ofEpochMilli(firstTimestamp), work.resolve("backfill"), o);
                return 0;
            }

            // Warm-up: each topology first runs over a slice of the readings in a group of its own, unmeasured, so that the
            // measured passes run on compiled code, as a long-running detector does (the first seconds of a JVM are JIT).
            long warmUp = Math.min(total() / 5, 100_000);
            SeismoConfig warmDetector = config.with(Map.of("application.id", "bench-detector-warm-up"));
            run("warm-up pass", config, "bench-pass-warm-up", warmUp,
                    props -> new KafkaStreams(PassThroughTopology.build(config.topics().readings(), "bench-pass-out"), props));
            run("warm-up detect", warmDetector, "bench-detector-warm-up", warmUp, props -> new DetectorApp(warmDetector).streams());

            Pass pass = run("pass-through", config, "bench-pass", total(),
                    props -> new KafkaStreams(PassThroughTopology.build(config.topics().readings(), "bench-pass-out"), props));
            SeismoConfig detectorConfig = config;
            Pass detect = run("detector", config, config.cluster().applicationId(), total(), props -> new DetectorApp(detectorConfig).streams());
            o.println();
            o.printf(Locale.ROOT, "%-14s %12s %10s %17s %22s%n", "topology", "records/s", "seconds", "steady records/s", "allocated B/record");
            for (Pass p : List.of(pass, detect)) {
                o.printf(Locale.ROOT, "%-14s %,12.0f %10.1f %,17.0f %,22.0f%n", p.name(), p.recordsPerSecond(), p.seconds(),
                        p.steadyPerSecond(), p.allocatedPerRecord());
            }
            o.printf(Locale.ROOT, "ratio detector / pass-through: %.2f (whole passes, start-up included: %.2f)%n",
                    detect.steadyPerSecond() / pass.steadyPerSecond(), detect.recordsPerSecond() / pass.recordsPerSecond());
            // The detector's own work beside it: what the topology costs beyond reading and writing its records.
            DetectorWorkload own = new DetectorWorkload(detectorConfig, 1_000, 7);
            double perReading = own.nanosPerReading(300, 300_000);
            DetectorWorkload.Breakdown parts = own.breakdown(0, 300_000);
            double perStep = own.nanosPerStep(1_000_000);
            o.printf(Locale.ROOT, "detector's own work: %.2f µs per reading (%s, 1,000 series past calibration, no Kafka): decode %.2f,"
                    + " judge %.2f, encode %.2f µs timed apart; the network step alone %.2f µs%n", perReading / 1e3,
                    ModelReleases.describe(ModelReleases.configuredShape(detectorConfig.model())), parts.decode() / 1e3,
                    parts.judge() / 1e3, parts.encode() / 1e3, perStep / 1e3);
            // Full-grown series: every SPOT peak slot in use, the likelihood's day profile learned.
            DetectorWorkload grown = new DetectorWorkload(detectorConfig, 50, 11);
            double perGrownReading = grown.nanosPerReading(20_000, 200_000);
            o.printf(Locale.ROOT, "detector's own work on full-grown series (50 series past 20,000 readings each): %.2f µs per reading;"
                    + " %,.0f bytes of state per series%n", perGrownReading / 1e3, grown.storedBytesPerSeries());
            double stateBytes = stateBytesPerSeries(config);
            o.printf(Locale.ROOT, "state per series: %,.0f bytes (latest changelog value per key, %s)%n", stateBytes,
                    "series-state store, packed layout");
            if (rate > 0) {
                // The framework's floor first: the pass-through offered the same readings at the same rate under the same
                // guarantee and commit interval, on an input topic of its own (the detector's group must not find them as a
                // backlog on the readings topic).
                double[] floor;
                Properties passProps = DetectorApp.streamsProperties(config);
                passProps.put("application.id", "bench-pass-latency");
                try (KafkaStreams passApp = new KafkaStreams(PassThroughTopology.build(LATENCY_PASS_IN, "bench-pass-out"), passProps)) {
                    passApp.start();
                    awaitRunning(passApp, Duration.ofSeconds(120));
                    floor = latency(config, LATENCY_PASS_IN, "bench-pass-out", "latency pass");
                    passApp.close(Duration.ofSeconds(30));
                }
                double[] latency;
                try (DetectorApp app = new DetectorApp(config)) {
                    app.start();
                    app.awaitRunning(Duration.ofSeconds(120));
                    latency = latency(config, config.topics().readings(), config.topics().training(), "latency");
                }
                o.printf(Locale.ROOT, "latency at %,d readings/s offered for %d s after 2 s unmeasured, read back with read_committed:%n", rate,
                        latencySeconds);
                o.printf(Locale.ROOT, "  pass-through: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d readings)%n", floor[0], floor[1], floor[2],
                        (long) floor[3]);
                o.printf(Locale.ROOT, "  detector:     p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d readings judged normal)%n", latency[0],
                        latency[1], latency[2], (long) latency[3]);
            }
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            o.printf(Locale.ROOT, "heap used after GC: %,d MB (max %,d MB); RSS %,d MB%n", heap >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, rssBytes() >> 20);
            o.printf(Locale.ROOT, "RocksDB: %s%n", rocksDbMemory(detectorConfig));
            o.flush();
        } finally {
            Console.deleteQuietly(work);
        }
        return 0;
    }

    /** A backfill of every pre-produced reading, in process, with the heap after GC watched while it runs. */
    private void backfill(SeismoConfig config, Instant from, Path out, PrintWriter o) {
        ModelRelease initial = new io.seismo.train.ModelCatalog(config, Duration.ofSeconds(30)).read(config.model().name()).latest()
                .orElseThrow();
        long began = System.nanoTime();
        Backfill.Outcome outcome;
        long[] peaks;
        try (HeapWatch heap = new HeapWatch(100)) {
            ProgressBar[] bar = {null};
            outcome = Backfill.run(config, "bench", new Backfill.Request(config.topics().readings(), from, Instant.now(), SeriesPattern.ALL,
                    initial, out, new ScoringRun.Options(500, retrain, initial, ScoringRun.Engine.IN_PROCESS)), FileScoring.RunTopics.NONE,
                    new Backfill.Listener() {
                        @Override
                        public void planned(int partitions, long offsets) {
                            bar[0] = bar("backfill", offsets);
                        }

                        @Override
                        public void advanced(long judged, long total) {
                            bar[0].stepTo(judged);
                            heap.progress(judged);
                        }
                    });
            Console.close(spec, bar[0]);
            peaks = heap.peakByPart(outcome.summary().readings(), 4);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        ScoringRun.Summary s = outcome.summary();
        o.printf(Locale.ROOT, "backfill: %,d readings of %,d series in %.1f s: %,.0f readings/s (in process, %s)%n", s.readings(),
                outcome.entries().size(), seconds, s.readings() / seconds, retrain ? "retraining" : "no retraining");
        o.printf(Locale.ROOT, "time: judging %.1f s (%,.0f readings/s), training %.1f s in %d runs (%d published, %d refused)%n",
                s.judging().toNanos() / 1e9, s.readings() / (s.judging().toNanos() / 1e9), s.training().toNanos() / 1e9,
                s.releases().size() - 1 + s.refusals(), s.releases().size() - 1, s.refusals());
        o.printf(Locale.ROOT, "heap after GC, highest in each quarter of the run: %s MB (max heap %,d MB); RSS %,d MB%n",
                Arrays.stream(peaks).mapToObj(p -> p < 0 ? "-" : Long.toString(p >> 20)).toList(), Runtime.getRuntime().maxMemory() >> 20,
                rssBytes() >> 20);
        o.flush();
    }

    /** Readings of every series at one-minute steps, ending an hour ago (brokers refuse timestamps far in the future). */
    private long produceHistory(SeismoConfig config) {
        int perKey = records / keys;
        long first = Instant.now().minus(Duration.ofHours(1)).toEpochMilli() - (long) perKey * 60_000L;
        Map<String, Object> p = io.seismo.kafka.ClientConfigs.orderedProducer(config.clientConfig(), 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        String[] ids = new String[keys];
        for (int k = 0; k < keys; k++) {
            ids[k] = String.format(Locale.ROOT, "series-%07d", k);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p); ProgressBar bar = bar("produce", (long) perKey * keys)) {
            for (int step = 0; step < perKey; step++) {
                long ts = first + step * 60_000L;
                for (int k = 0; k < keys; k++) {
                    double value = 50 + 10 * Math.sin(2 * Math.PI * (step + k) / 60.0) + ((step * 31 + k * 17) % 7 - 3) * 0.1;
                    producer.send(new ProducerRecord<>(config.topics().readings(), null, ts, ids[k],
                            SeismoSerdes.READING.encode(new Reading(ids[k], Instant.ofEpochMilli(ts), value))));
                }
                bar.stepBy(keys);
            }
            producer.flush();
        }
        return first;
    }

    /** A release of the configured shape with initial weights: the cost of a step does not depend on the weights' values. */
    private static void publishModel(SeismoConfig config) throws Exception {
        ModelRelease release = ModelReleases.untrained(config, 1, Instant.now());
        Map<String, Object> p = new HashMap<>(config.clientConfig());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.topics().modelsMaxMessageBytes());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(config.topics().models(), config.model().name(), ModelReleases.encode(release))).get();
        }
    }

    private interface StreamsFactory {
        KafkaStreams create(Properties props);
    }

    /** Runs one topology over every pre-produced reading; done when its group's committed offsets reach the input's end. */
    /** The readings produced: a whole number per series. */
    private long total() {
        return (long) (records / keys) * keys;
    }

    /** Runs a topology in group {@code applicationId} until its committed offsets cover {@code total} readings. */
    private Pass run(String name, SeismoConfig config, String applicationId, long total, StreamsFactory factory) throws Exception {
        Properties props = DetectorApp.streamsProperties(config);
        props.put("application.id", applicationId);
        KafkaStreams streams = factory.create(props);
        Map<TopicPartition, Long> ends;
        try (Admin admin = Admin.create(config.clientConfig())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(config.topics().readings(), p), OffsetSpec.latest());
            }
            ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long began = System.nanoTime();
            long firstCommit = 0;
            long doneAtFirstCommit = 0;
            streams.start();
            try (ProgressBar bar = bar(name, total)) {
                long done = 0;
                while (done < total) {
                    Thread.sleep(100);
                    Map<TopicPartition, OffsetAndMetadata> committed =
                            admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
                    done = 0;
                    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                        OffsetAndMetadata c = committed.get(e.getKey());
                        done += c == null ? 0 : Math.min(c.offset(), e.getValue());
                    }
                    if (firstCommit == 0 && done > 0) {
                        firstCommit = System.nanoTime();
                        doneAtFirstCommit = done;
                    }
                    bar.stepTo(Math.min(done, total));
                    if (streams.state() == KafkaStreams.State.ERROR) {
                        throw new IllegalStateException(name + " failed");
                    }
                }
            }
            long ended = System.nanoTime();
            double seconds = (ended - began) / 1e9;
            double steadySeconds = (ended - firstCommit) / 1e9;
            double steady = doneAtFirstCommit < total && steadySeconds > 0 ? (total - doneAtFirstCommit) / steadySeconds : total / seconds;
            double allocated = streamThreadAllocatedBytes(applicationId) / (double) total;
            streams.close(Duration.ofSeconds(30));
            return new Pass(name, seconds, total / seconds, steady, allocated);
        }
    }

    /** Bytes allocated so far by the stream threads of an application (they are named after its client id). */
    private static long streamThreadAllocatedBytes(String applicationId) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(applicationId) && t.getName().contains("StreamThread")) {
                sum += threads.getThreadAllocatedBytes(t.getId());
            }
        }
        return sum;
    }

    /** Mean size of the latest value of each key on the state store's changelog: what the store holds per series. */
    private double stateBytesPerSeries(SeismoConfig config) {
        String changelog = config.cluster().applicationId() + "-series-state-changelog";
        Map<String, Integer> latest = new HashMap<>();
        readAll(config, changelog, r -> {
            if (r.value() != null) {
                latest.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), r.value().length);
            }
        });
        return latest.values().stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
    }

    private static void readAll(SeismoConfig config, String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Map<String, Object> p = new HashMap<>(config.clientConfig());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(sink);
            }
        }
    }

    /**
     * Offers readings at the configured rate, stamped with the wall clock, and reads the detector's training output (every
     * reading judged normal, with the reading's timestamp) back with read_committed: latency = seen − stamped.
     *
     * @return p50, p99, max (ms) and the number of readings measured
     */
    /** The pass-through's input in the latency phase. */
    private static final String LATENCY_PASS_IN = "bench-latency-pass-in";

    private static void awaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("the pass-through did not start: " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Offers readings at the configured rate, stamped with the wall clock, and reads {@code topic} back with
     * read_committed: p50, p99 and max of seen − stamped in milliseconds, and the number of samples.
     */
    private double[] latency(SeismoConfig config, String input, String topic, String label) throws Exception {
        Map<String, Object> cp = new HashMap<>(config.clientConfig());
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> pp = io.seismo.kafka.ClientConfigs.orderedProducer(config.clientConfig(), 1);
        List<Long> samples = new ArrayList<>();
        // The first two seconds are offered but not counted: the application has just started (tasks may still be
        // restoring while it reports RUNNING), and what is timed is the steady state.
        long warmUpSeconds = 2;
        long startMillis = System.currentTimeMillis() + warmUpSeconds * 1000;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp); KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToEnd(parts);
            parts.forEach(c::position);
            long total = (long) rate * (latencySeconds + warmUpSeconds);
            long began = System.nanoTime();
            long sent = 0;
            try (ProgressBar bar = bar(label, total)) {
                while (sent < total) {
                    long due = Math.min(total, (System.nanoTime() - began) * rate / 1_000_000_000L);
                    for (; sent < due; sent++) {
                        String id = String.format(Locale.ROOT, "series-%07d", sent % keys);
                        long now = System.currentTimeMillis();
                        producer.send(new ProducerRecord<>(input, null, now, id,
                                SeismoSerdes.READING.encode(new Reading(id, Instant.ofEpochMilli(now), 50 + (sent % 13) * 0.1))));
                    }
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(1))) {
                        if (r.timestamp() >= startMillis) {
                            samples.add(System.currentTimeMillis() - r.timestamp());
                        }
                    }
                    bar.stepTo(sent);
                }
            }
            long drainUntil = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < drainUntil) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (r.timestamp() >= startMillis) {
                        samples.add(System.currentTimeMillis() - r.timestamp());
                    }
                }
            }
        }
        long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, 0};
        }
        return new double[] {sorted[sorted.length / 2], sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
                sorted[sorted.length - 1], sorted.length};
    }

    private ProgressBar bar(String name, long total) {
        return Console.bar(spec, String.format(Locale.ROOT, "%-12s", name), total, " records", true);
    }

    /** The RocksDB ceiling the configuration states and what the shared cache holds, for the line beside RSS. */
    private static String rocksDbMemory(SeismoConfig config) {
        int mb = config.cluster().rocksDbMemoryMb();
        if (mb == 0) {
            return "Kafka Streams' defaults per store (state.rocksdb.memory.mb=0): no ceiling";
        }
        return String.format(Locale.ROOT, "ceiling %,d MB for every store of the instance (block cache with index, filters and"
                + " memtables charged to it), %,d MB in use at the end", mb, io.seismo.stream.BoundedRocksDb.usageBytes() >> 20);
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

}
