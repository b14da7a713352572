package io.seismo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Consumer;
import java.util.function.Function;

import io.seismo.config.ConfigDef;
import io.seismo.config.Overrides;
import io.seismo.config.SeismoConfig;
import io.seismo.kafka.ClientConfigs;
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
import io.seismo.stream.BoundedRocksDb;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.DetectorWorkload;
import io.seismo.stream.PassThroughTopology;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import io.seismo.train.ModelCatalog;
import io.seismo.train.SeriesPattern;
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
import org.apache.kafka.streams.StreamsConfig;

/**
 * The detector against Kafka Streams' own floor, in one run on an embedded broker. The same pre-produced readings go
 * through a pass-through topology (decode, encode, write) and then through the detector, with the same serdes and
 * processing guarantee; then both are fed at a fixed rate to measure latency. Or, instead of the topologies, a backfill
 * of the readings is timed, as {@code seismo score --topic} runs it.
 *
 * <p>In order: {@link #start}, {@link #setup}, {@link #produceReadings}; then {@link #backfill}, or {@link #throughput},
 * {@link #latency} (when a rate is offered) and {@link #memory}; then {@link #close}.
 */
public final class BenchHarness implements AutoCloseable {
    /** The pass-through's input in the latency phase. */
    private static final String LATENCY_PASS_IN = "bench-latency-pass-in";

    /**
     * What to measure; the topics' partitions, the model's shape and the processing guarantee of both topologies are the
     * configuration's.
     *
     * @param records        readings pre-produced (a whole number per series are)
     * @param keys           series
     * @param rate           offered readings/s in the latency phase
     * @param latencySeconds length of the latency phase, after 2 s unmeasured
     * @param retrain        whether the backfill retrains on event time
     */
    public record Options(int records, int keys, int rate, int latencySeconds, boolean retrain) {
        /** The readings produced: a whole number per series. */
        long total() {
            return (long) (records / keys) * keys;
        }
    }

    private final Options options;
    private final BenchProgress progress;
    private final Path work;
    private final EmbeddedKafka broker;
    private final SeismoConfig config;
    private long firstTimestamp;

    private BenchHarness(Options options, BenchProgress progress, Path work, EmbeddedKafka broker, SeismoConfig config) {
        this.options = options;
        this.progress = progress;
        this.work = work;
        this.broker = broker;
        this.config = config;
    }

    /**
     * Makes the bench's folder {@code work} (removed by {@link #close}), starts a temporary broker and makes the bench's
     * topics.
     *
     * @param configure the configuration for the temporary broker's address
     */
    public static BenchHarness start(Options options, Path work, Function<String, SeismoConfig> configure, BenchProgress progress)
            throws IOException {
        Files.createDirectories(work);
        EmbeddedKafka broker = null;
        try {
            broker = EmbeddedKafka.startTemporary();
            SeismoConfig config = configure.apply(broker.bootstrapServers());
            int partitions = config.topics().partitions();
            TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(60));
            TopicAdmin.ensureTopics(config.clientConfig(), List.of(TopicSpec.of("bench-pass-out", partitions),
                    TopicSpec.of(LATENCY_PASS_IN, partitions)), Duration.ofSeconds(60));
            return new BenchHarness(options, progress, work, broker, config);
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            FileScoring.deleteQuietly(work);
            throw e;
        }
    }

    /** What is about to be measured, and on which broker. */
    public BenchReport.Setup setup() {
        return new BenchReport.Setup(options.records(), options.keys(), config.topics().partitions(), config.model().cell(),
                config.model().layers(), config.model().hiddenSize(), config.cluster().processingGuarantee().spelling(),
                broker.bootstrapServers());
    }

    /**
     * Produces the readings every measurement reads (every series at one-minute steps, ending an hour ago: brokers refuse
     * timestamps far in the future) and publishes a release of the configured shape with initial weights (the cost of a
     * step does not depend on the weights' values).
     */
    public void produceReadings() throws Exception {
        firstTimestamp = produceHistory();
        publishModel(config);
    }

    /** A backfill of every pre-produced reading, in process, with the heap after GC watched while it runs. */
    public BenchReport.Backfill backfill() {
        ModelRelease initial = new ModelCatalog(config, Duration.ofSeconds(30)).read(config.model().name()).latest().orElseThrow();
        long began = System.nanoTime();
        Backfill.Outcome outcome;
        long[] peaks;
        try (HeapWatch heap = new HeapWatch(100)) {
            BenchProgress.Phase[] bar = {null};
            outcome = Backfill.run(config, "bench", new Backfill.Request(config.topics().readings(), Instant.ofEpochMilli(firstTimestamp),
                    Instant.now(), SeriesPattern.ALL, initial, work.resolve("backfill"),
                    new ScoringRun.Options(500, options.retrain(), initial, ScoringRun.Engine.IN_PROCESS)), FileScoring.RunTopics.NONE,
                    new Backfill.Listener() {
                        @Override
                        public void planned(int partitions, long offsets) {
                            bar[0] = progress.begin("backfill", offsets);
                        }

                        @Override
                        public void advanced(long judged, long total) {
                            bar[0].stepTo(judged);
                            heap.progress(judged);
                        }
                    });
            if (bar[0] != null) {
                bar[0].close();
            }
            peaks = heap.peakByPart(outcome.summary().readings(), 4);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        return new BenchReport.Backfill(outcome.summary(), outcome.entries().size(), seconds, options.retrain(), peaks,
                Runtime.getRuntime().maxMemory(), rssBytes());
    }

    /**
     * Both topologies over every pre-produced reading, each after a warm-up pass of its own; the detector's own work beside
     * them (what the topology costs beyond reading and writing its records); the state the detector keeps per series.
     */
    public BenchReport.Throughput throughput() throws Exception {
        // Warm-up: each topology first runs over a slice of the readings in a group of its own, unmeasured, so that the
        // measured passes run on compiled code, as a long-running detector does (the first seconds of a JVM are JIT).
        long warmUp = Math.min(options.total() / 5, 100_000);
        SeismoConfig warmDetector = config.with(Overrides.of(ConfigDef.APPLICATION_ID, "bench-detector-warm-up"));
        run("warm-up pass", config, "bench-pass-warm-up", warmUp,
                props -> new KafkaStreams(PassThroughTopology.build(config.topics().readings(), "bench-pass-out"), props));
        run("warm-up detect", warmDetector, "bench-detector-warm-up", warmUp, props -> new DetectorApp(warmDetector).streams());

        BenchReport.Pass pass = run("pass-through", config, "bench-pass", options.total(),
                props -> new KafkaStreams(PassThroughTopology.build(config.topics().readings(), "bench-pass-out"), props));
        BenchReport.Pass detect = run("detector", config, config.cluster().applicationId(), options.total(),
                props -> new DetectorApp(config).streams());
        DetectorWorkload own = new DetectorWorkload(config, 1_000, 7);
        double perReading = own.nanosPerReading(300, 300_000);
        DetectorWorkload.Breakdown parts = own.breakdown(0, 300_000);
        double perStep = own.nanosPerStep(1_000_000);
        // Full-grown series: every SPOT peak slot in use, the likelihood's day profile learned.
        DetectorWorkload grown = new DetectorWorkload(config, 50, 11);
        double perGrownReading = grown.nanosPerReading(20_000, 200_000);
        BenchReport.OwnWork ownWork = new BenchReport.OwnWork(perReading, ModelReleases.describe(ModelReleases.configuredShape(config.model())),
                parts.decode(), parts.judge(), parts.encode(), perStep, perGrownReading, grown.storedBytesPerSeries());
        return new BenchReport.Throughput(pass, detect, ownWork, stateBytesPerSeries());
    }

    /**
     * Latency at the offered rate: the framework's floor first, the pass-through offered the same readings at the same rate
     * under the same guarantee and commit interval, on an input topic of its own (the detector's group must not find them
     * as a backlog on the readings topic); then the detector.
     */
    public BenchReport.Latencies latency() throws Exception {
        BenchReport.Latency floor;
        Properties passProps = DetectorApp.streamsProperties(config);
        passProps.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-pass-latency");
        try (KafkaStreams passApp = new KafkaStreams(PassThroughTopology.build(LATENCY_PASS_IN, "bench-pass-out"), passProps)) {
            passApp.start();
            awaitRunning(passApp, Duration.ofSeconds(120));
            floor = latency(LATENCY_PASS_IN, "bench-pass-out", "latency pass");
            passApp.close(Duration.ofSeconds(30));
        }
        BenchReport.Latency latency;
        try (DetectorApp app = new DetectorApp(config)) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(120));
            latency = latency(config.topics().readings(), config.topics().training(), "latency");
        }
        return new BenchReport.Latencies(options.rate(), options.latencySeconds(), floor, latency);
    }

    /** Heap used after a GC, RSS, and RocksDB's ceiling and use. */
    public BenchReport.Memory memory() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new BenchReport.Memory(heap, Runtime.getRuntime().maxMemory(), rssBytes(), rocksDbMemory(config));
    }

    /** Stops the broker and deletes the bench's folder. */
    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            FileScoring.deleteQuietly(work);
        }
    }

    private long produceHistory() {
        int perKey = options.records() / options.keys();
        int keys = options.keys();
        long first = Instant.now().minus(Duration.ofHours(1)).toEpochMilli() - (long) perKey * 60_000L;
        Map<String, Object> p = ClientConfigs.orderedProducer(config.clientConfig(), 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        String[] ids = new String[keys];
        for (int k = 0; k < keys; k++) {
            ids[k] = String.format(Locale.ROOT, "series-%07d", k);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
             BenchProgress.Phase bar = progress.begin("produce", (long) perKey * keys)) {
            for (int step = 0; step < perKey; step++) {
                long ts = first + step * 60_000L;
                for (int k = 0; k < keys; k++) {
                    double value = 50 + 10 * Math.sin(2 * Math.PI * (step + k) / 60.0) + ((step * 31 + k * 17) % 7 - 3) * 0.1;
                    producer.send(new ProducerRecord<>(config.topics().readings(), null, ts, ids[k],
                            SeismoSerdes.READING.encode(new Reading(ids[k], Instant.ofEpochMilli(ts), value))));
                }
                bar.stepTo((long) (step + 1) * keys);
            }
            producer.flush();
        }
        return first;
    }

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

    /**
     * Runs a topology under {@code runConfig} in group {@code applicationId} until the group's committed offsets cover
     * {@code total} readings of the input.
     */
    private BenchReport.Pass run(String name, SeismoConfig runConfig, String applicationId, long total, StreamsFactory factory)
            throws Exception {
        Properties props = DetectorApp.streamsProperties(runConfig);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        KafkaStreams streams = factory.create(props);
        Map<TopicPartition, Long> ends;
        try (Admin admin = Admin.create(runConfig.clientConfig())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < runConfig.topics().partitions(); p++) {
                latest.put(new TopicPartition(runConfig.topics().readings(), p), OffsetSpec.latest());
            }
            ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long began = System.nanoTime();
            long firstCommit = 0;
            long doneAtFirstCommit = 0;
            streams.start();
            try (BenchProgress.Phase bar = progress.begin(name, total)) {
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
            return new BenchReport.Pass(name, seconds, total / seconds, steady, allocated);
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
    private double stateBytesPerSeries() {
        String changelog = config.cluster().applicationId() + "-series-state-changelog";
        Map<String, Integer> latest = new HashMap<>();
        readAll(changelog, r -> {
            if (r.value() != null) {
                latest.put(new String(r.key(), StandardCharsets.UTF_8), r.value().length);
            }
        });
        return latest.values().stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
    }

    private void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
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
     * Offers readings at the configured rate to {@code input}, stamped with the wall clock, and reads {@code topic} back
     * with read_committed: latency = seen − stamped.
     */
    private BenchReport.Latency latency(String input, String topic, String label) throws Exception {
        int rate = options.rate();
        Map<String, Object> cp = new HashMap<>(config.clientConfig());
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> pp = ClientConfigs.orderedProducer(config.clientConfig(), 1);
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
            long total = (long) rate * (options.latencySeconds() + warmUpSeconds);
            long began = System.nanoTime();
            long sent = 0;
            try (BenchProgress.Phase bar = progress.begin(label, total)) {
                while (sent < total) {
                    long due = Math.min(total, (System.nanoTime() - began) * rate / 1_000_000_000L);
                    for (; sent < due; sent++) {
                        String id = String.format(Locale.ROOT, "series-%07d", sent % options.keys());
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
            return new BenchReport.Latency(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new BenchReport.Latency(sorted[sorted.length / 2], sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
                sorted[sorted.length - 1], sorted.length);
    }

    /** The RocksDB ceiling the configuration states and what the shared cache holds, for the line beside RSS. */
    private static String rocksDbMemory(SeismoConfig config) {
        int mb = config.cluster().rocksDbMemoryMb();
        if (mb == 0) {
            return "Kafka Streams' defaults per store (state.rocksdb.memory.mb=0): no ceiling";
        }
        return String.format(Locale.ROOT, "ceiling %,d MB for every store of the instance (block cache with index, filters and"
                + " memtables charged to it), %,d MB in use at the end", mb, BoundedRocksDb.usageBytes() >> 20);
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
