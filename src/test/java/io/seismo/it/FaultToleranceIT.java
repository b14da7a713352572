package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.EmbeddedKafka;
import io.seismo.kafka.TopicAdmin;
import io.seismo.release.ModelReleases;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.PackedSeriesState;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.SeismoTopology;
import io.seismo.stream.TopicPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults on the real broker, each compared with a fault-free run over the same input and the same fixed model: the
 * anomaly events read with read_committed must be equal (none lost, none duplicated), and so must every series' state
 * (the latest value of each key on the state store's changelog) and the readings forwarded for training.
 *
 * <p>Short streams and two kills by default; {@code -Dseismo.faults.readings=N} (readings per series) and
 * {@code -Dseismo.faults.kills=K} make a longer run.
 */
class FaultToleranceIT {
    private static final int PARTITIONS = 6;
    private static final int SERIES = 24;
    private static final int READINGS_PER_SERIES = Integer.getInteger("seismo.faults.readings", 600);
    private static final int KILLS = Integer.getInteger("seismo.faults.kills", 2);
    private static final int RATE = Integer.getInteger("seismo.faults.rate", 500);
    private static final long STEP = 60_000L;
    /**
     * The first reading's time: recent, so the readings end an hour ago. Older event times would fall to the topics'
     * time-based retention (seven days) while the test runs, and both runs would lose records before reading them.
     */
    private static final long FIRST = (System.currentTimeMillis() / STEP - READINGS_PER_SERIES - 60) * STEP;
    private static final Duration DEADLINE = Duration.ofMinutes(4);

    private Path work;
    private EmbeddedKafka broker;
    private final List<ChildInstance> children = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        work = Files.createTempDirectory("seismo-faults-");
        broker = EmbeddedKafka.startTemporary();
    }

    @AfterEach
    void stop() {
        children.forEach(ChildInstance::kill);
        broker.close();
        if (Boolean.getBoolean("seismo.faults.keep")) {
            System.out.println("kept " + work);
            return;
        }
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + work + ": " + e);
        }
    }

    @Test
    void shouldAlertExactlyOnceWhenInstancesAreKilledAndRestarted() throws Exception {
        SeismoConfig faulty = config("faults", 1);
        SeismoConfig reference = config("reference", 0);
        prepare(faulty, reference);

        // Three instances, each its own JVM, share the six partitions; each state store has a standby on another one.
        for (int i = 0; i < 3; i++) {
            children.add(ChildInstance.start(faulty, work.resolve("instance-" + i), "instance-" + i));
        }
        waitFor(DEADLINE, "three instances share the group", () -> members(faulty) == 3);

        Producing producing = Producing.start(broker.bootstrapServers(), faulty.topics().readings());
        List<String> faults = new ArrayList<>();
        long total = (long) SERIES * READINGS_PER_SERIES;
        for (int k = 0; k < KILLS; k++) {
            ChildInstance victim = children.get(k % 3);
            long killAt = total * (2L * k + 1) / (2L * KILLS + 2);
            waitFor(DEADLINE, "reading " + killAt + " is sent", () -> producing.sent() >= killAt || producing.failed());
            victim.kill();
            long restartAt = total * (2L * k + 2) / (2L * KILLS + 2);
            faults.add(victim.name + " killed (SIGKILL) after " + producing.sent() + " readings");
            long killed = System.nanoTime();
            waitFor(DEADLINE, "the survivors take the killed instance's tasks over", () -> members(faulty) == 2);
            // Every partition, the killed instance's included, moves on (or is done) before the instance comes back.
            Map<TopicPartition, Long> before = committed(faulty);
            waitFor(DEADLINE, "every partition progresses without the killed instance", () -> {
                Map<TopicPartition, Long> now = committed(faulty);
                Map<TopicPartition, Long> ends = ends(faulty);
                return !ends.isEmpty() && ends.keySet().stream().allMatch(tp -> now.getOrDefault(tp, -1L) > before.getOrDefault(tp, -1L)
                        || now.getOrDefault(tp, -1L).equals(ends.get(tp)) && producing.done());
            });
            faults.add(String.format("every partition progressed %.1f s after the kill", (System.nanoTime() - killed) / 1e9));
            waitFor(DEADLINE, "reading " + restartAt + " is sent", () -> producing.sent() >= restartAt || producing.failed());
            children.set(k % 3, ChildInstance.start(faulty, work.resolve("instance-" + (k % 3)), victim.name));
            faults.add(victim.name + " restarted after " + producing.sent() + " readings");
        }
        producing.await();
        waitUntilConsumed(faulty);
        for (ChildInstance c : children) {
            c.stop();
        }

        runReference(reference);
        Outcome expected = Outcome.read(broker.bootstrapServers(), reference);
        Outcome actual = Outcome.read(broker.bootstrapServers(), faulty);
        System.out.printf("faults: %s%n", faults);
        expected.compare(actual, "three instances, " + KILLS + " kills");
    }

    @Test
    void shouldRecoverByItselfWhenTheBrokerRestartsMidStream() throws Exception {
        SeismoConfig faulty = config("restart", 0);
        SeismoConfig reference = config("reference", 0);
        prepare(faulty, reference);
        String bootstrap = broker.bootstrapServers();

        try (DetectorApp detector = new DetectorApp(faulty)) {
            detector.start();
            detector.awaitRunning(DEADLINE);
            Producing producing = Producing.start(bootstrap, faulty.topics().readings());
            long total = (long) SERIES * READINGS_PER_SERIES;
            waitFor(DEADLINE, "two fifths of the readings are sent", () -> producing.sent() >= 2 * total / 5 || producing.failed());
            long t0 = System.nanoTime();
            broker.restart();
            System.out.printf("broker restarted in %d ms after %d readings (%s, was %s)%n", (System.nanoTime() - t0) / 1_000_000,
                    producing.sent(), broker.bootstrapServers(), bootstrap);
            assertEquals(bootstrap, broker.bootstrapServers(), "the broker came back on its port");
            producing.await();
            waitUntilConsumed(faulty);
            assertTrue(detector.running(), "the detector recovered by itself: " + detector.streams().state());
        }

        runReference(reference);
        Outcome.read(broker.bootstrapServers(), reference).compare(Outcome.read(broker.bootstrapServers(), faulty), "broker restart");
    }

    /** A run's configuration: its own application id, output topics and state; the shared input and model topics. */
    private SeismoConfig config(String run, int standbys) {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", broker.bootstrapServers());
        s.put("application.id", "seismo-" + run);
        s.put("state.dir", work.resolve(run + "-state").toString());
        s.put("processing.guarantee", "exactly_once_v2");
        s.put("commit.interval.ms", "100");
        s.put("num.standby.replicas", Integer.toString(standbys));
        s.put("topic.partitions", Integer.toString(PARTITIONS));
        s.put("topic.readings", "readings");
        s.put("topic.models", "models");
        s.put("topic.anomalies", run + "-anomalies");
        s.put("topic.training", run + "-training");
        s.put("topic.deadletter", run + "-deadletter");
        s.put("topic.feedback", run + "-feedback");
        s.put("model.hidden.size", "8");
        // A killed member is noticed in seconds rather than the default 45.
        s.put("kafka.consumer.session.timeout.ms", "6000");
        s.put("kafka.consumer.heartbeat.interval.ms", "1000");
        return SeismoConfig.parse(s);
    }

    /** Creates every topic of both runs and publishes the one model release both use. */
    private void prepare(SeismoConfig faulty, SeismoConfig reference) throws Exception {
        TopicAdmin.ensureTopics(faulty.clientConfig(), TopicPlan.of(faulty), Duration.ofSeconds(60));
        TopicAdmin.ensureTopics(reference.clientConfig(), TopicPlan.of(reference), Duration.ofSeconds(60));
        ModelRelease release = ModelReleases.untrained(faulty, 3, Instant.EPOCH);
        try (KafkaProducer<String, byte[]> producer = BrokerTestSupport.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(faulty.topics().models(), faulty.model().name(), ModelReleases.encode(release))).get();
        }
    }

    /** The fault-free run: one instance in this JVM over the same readings, from the beginning. */
    private void runReference(SeismoConfig reference) throws Exception {
        try (DetectorApp detector = new DetectorApp(reference)) {
            detector.start();
            try {
                waitUntilConsumed(reference);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; streams " + detector.streams().state(), e);
            }
        }
    }

    private int members(SeismoConfig config) {
        try (Admin admin = Admin.create(config.clientConfig())) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(config.cluster().applicationId()))
                    .describedGroups().get(config.cluster().applicationId()).get();
            return d.members().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private Map<TopicPartition, Long> committed(SeismoConfig config) {
        try (Admin admin = Admin.create(config.clientConfig())) {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(config.cluster().applicationId()).partitionsToOffsetAndMetadata().get()
                    .forEach((tp, o) -> out.put(tp, o.offset()));
            return out;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private Map<TopicPartition, Long> ends(SeismoConfig config) {
        try (Admin admin = Admin.create(config.clientConfig())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(config.topics().readings(), p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** Waits until the application's committed offsets reach the end of every readings partition. */
    private void waitUntilConsumed(SeismoConfig config) throws InterruptedException {
        String group = config.cluster().applicationId();
        String[] last = {"nothing read yet"};
        try (Admin admin = Admin.create(config.clientConfig())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(config.topics().readings(), p), OffsetSpec.latest());
            }
            try {
                waitFor(DEADLINE, group + " has consumed every reading", () -> {
                    try {
                        Map<TopicPartition, Long> ends = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
                        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata().get();
                        StringBuilder b = new StringBuilder();
                        ends.forEach((tp, end) -> b.append(tp.partition()).append(':')
                                .append(committed.get(tp) == null ? "-" : committed.get(tp).offset()).append('/').append(end).append(' '));
                        last[0] = b.toString();
                        long sum = ends.values().stream().mapToLong(Long::longValue).sum();
                        return sum == (long) SERIES * READINGS_PER_SERIES && ends.entrySet().stream().allMatch(e -> {
                            OffsetAndMetadata c = committed.get(e.getKey());
                            return c != null && c.offset() >= e.getValue();
                        });
                    } catch (Exception e) {
                        last[0] = e.toString();
                        return false; // the broker may be restarting
                    }
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; committed/end per partition: " + last[0], e);
            }
        }
    }

    /** Sends every series' readings in time order at a steady rate, from its own thread. */
    private static final class Producing {
        private final AtomicLong sent = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        private Producing(String bootstrap, String topic) {
            thread = new Thread(() -> {
                Random random = new Random(17);
                long began = System.nanoTime();
                try (KafkaProducer<String, byte[]> producer = BrokerTestSupport.producer(bootstrap)) {
                    for (int step = 0; step < READINGS_PER_SERIES; step++) {
                        long ts = FIRST + step * STEP;
                        for (int s = 0; s < SERIES; s++) {
                            String id = String.format("sensor-%02d", s);
                            double value = 20 + 5 * Math.sin(2 * Math.PI * (step + 7 * s) / 60.0) + 0.3 * random.nextGaussian();
                            if (step > 300 && (step + 13 * s) % 97 == 0) {
                                value += 25; // a spike every 97 readings of each series, after warm-up and calibration
                            }
                            byte[] v = SeismoSerdes.READING.encode(new Reading(id, Instant.ofEpochMilli(ts), value));
                            producer.send(new ProducerRecord<>(topic, null, ts, id, v));
                        }
                        producer.flush();
                        sent.addAndGet(SERIES);
                        long due = began + sent.get() * 1_000_000_000L / RATE;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the offered rate
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "faults-producer");
            thread.setDaemon(true);
        }

        static Producing start(String bootstrap, String topic) {
            Producing p = new Producing(bootstrap, topic);
            p.thread.start();
            return p;
        }

        long sent() {
            return sent.get();
        }

        boolean failed() {
            return failure.get() != null;
        }

        boolean done() {
            return !thread.isAlive();
        }

        void await() throws InterruptedException {
            thread.join(DEADLINE.toMillis());
            if (failure.get() != null) {
                throw new AssertionError("producing readings failed", failure.get());
            }
            assertEquals((long) SERIES * READINGS_PER_SERIES, sent.get(), "every reading was sent");
        }
    }

    /** What a run left on its topics, read with read_committed. */
    private record Outcome(Map<String, List<String>> events, Map<String, byte[]> states, Map<String, Integer> training, long eventCount) {
        static Outcome read(String bootstrap, SeismoConfig config) {
            Map<String, List<String>> events = new TreeMap<>();
            long[] count = new long[1];
            readAll(bootstrap, config.topics().anomalies(), r -> {
                AnomalyEvent e = SeismoSerdes.ANOMALY.decode(r.value());
                events.computeIfAbsent(e.getSeries(), k -> new ArrayList<>()).add(e.toString());
                count[0]++;
            });
            Map<String, byte[]> states = new TreeMap<>();
            readAll(bootstrap, config.cluster().applicationId() + "-" + SeismoTopology.Names.DEFAULT.stateStore() + "-changelog",
                    r -> states.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), r.value()));
            Map<String, Integer> training = new TreeMap<>();
            readAll(bootstrap, config.topics().training(),
                    r -> training.merge(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8) + "@" + r.timestamp(), 1, Integer::sum));
            return new Outcome(events, states, training, count[0]);
        }

        void compare(Outcome actual, String run) {
            long lost = 0;
            long duplicated = 0;
            for (String series : union(events.keySet(), actual.events.keySet())) {
                List<String> want = events.getOrDefault(series, List.of());
                List<String> got = actual.events.getOrDefault(series, List.of());
                Map<String, Integer> diff = new HashMap<>();
                want.forEach(e -> diff.merge(e, 1, Integer::sum));
                got.forEach(e -> diff.merge(e, -1, Integer::sum));
                for (int d : diff.values()) {
                    lost += Math.max(d, 0);
                    duplicated += Math.max(-d, 0);
                }
            }
            int shown = 0;
            for (String series : events.keySet()) {
                List<String> x = events.get(series);
                List<String> y = actual.events.getOrDefault(series, List.of());
                if (!x.equals(y) && shown++ < 3) {
                    System.out.printf("first events of %s differ:%n  fault-free %s%n  with faults %s%n", series,
                            x.isEmpty() ? "none" : x.get(0), y.isEmpty() ? "none" : y.get(0));
                }
            }
            int statesDiffering = 0;
            for (String series : union(states.keySet(), actual.states.keySet())) {
                // Byte for byte, but for when each reading arrived (the wall clock of the run).
                if (!java.util.Arrays.equals(PackedSeriesState.withoutArrival(states.get(series)),
                        PackedSeriesState.withoutArrival(actual.states.get(series)))) {
                    statesDiffering++;
                }
            }
            long trainingRecords = training.values().stream().mapToLong(Integer::longValue).sum();
            long trainingDuplicates = actual.training.values().stream().mapToLong(n -> Math.max(n - 1, 0)).sum();
            System.out.printf("%s: anomaly events %d fault-free, %d with faults; lost %d, duplicated %d; series states differing %d of %d;"
                            + " readings forwarded for training %d fault-free, %d with faults (%d duplicated)%n",
                    run, eventCount, actual.eventCount, lost, duplicated, statesDiffering, states.size(), trainingRecords,
                    actual.training.values().stream().mapToLong(Integer::longValue).sum(), trainingDuplicates);
            assertTrue(eventCount > 0, "the input produces anomaly events");
            assertEquals(SERIES, states.size(), "a state per series");
            assertEquals(0, lost, "events lost");
            assertEquals(0, duplicated, "events duplicated");
            assertEquals(events, actual.events, "the same events in the same order per series");
            assertEquals(0, statesDiffering, "series states that differ from the fault-free run");
            assertEquals(training, actual.training, "the same readings forwarded for training, once each");
        }

        private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
            java.util.Set<String> u = new java.util.TreeSet<>(a);
            u.addAll(b);
            return u;
        }

        /**
         * Reads a whole topic with read_committed, once no transaction is open on it (its last stable offset has caught
         * up with its end): an aborted or still-open transaction of a killed instance would otherwise hide the rest.
         */
        private static void readAll(String bootstrap, String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
            Map<String, Object> p = new HashMap<>();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            Map<String, Object> committedOnly = new HashMap<>(p);
            committedOnly.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(committedOnly); KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(p)) {
                List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                Map<TopicPartition, Long>[] ends = new Map[2];
                try {
                    waitFor(DEADLINE, "no transaction is open on " + topic, () -> {
                        ends[0] = c.endOffsets(parts);
                        ends[1] = raw.endOffsets(parts);
                        return ends[0].equals(ends[1]);
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + ": stable " + ends[0] + ", end " + ends[1], e);
                }
                Map<TopicPartition, Long> end = ends[0];
                c.assign(parts);
                c.seekToBeginning(parts);
                while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                    c.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (r.value() != null) {
                            sink.accept(r);
                        }
                    });
                }
            }
        }
    }

    /** A detector instance in its own JVM ({@code seismo run --role detector}), killed with SIGKILL or stopped with SIGTERM. */
    private static final class ChildInstance {
        final String name;
        private final Process process;

        private ChildInstance(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        static ChildInstance start(SeismoConfig config, Path dir, String name) throws IOException {
            Files.createDirectories(dir);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "io.seismo.cli.SeismoCommand", "run", "--role", "detector"));
            Map<String, String> settings = new TreeMap<>(config.toMap());
            settings.put("state.dir", dir.resolve("state").toString());
            settings.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
            Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out-" + System.nanoTime() + ".log").toFile())
                    .redirectErrorStream(true).start();
            return new ChildInstance(name, p);
        }

        void kill() {
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no leaving the group
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM: the shutdown hook closes the detector cleanly
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
