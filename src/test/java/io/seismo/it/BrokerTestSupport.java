package io.seismo.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.seismo.api.ApiServer;
import io.seismo.api.SeismoMetrics;
import io.seismo.cli.SeismoCommand;
import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.SeriesStateView;
import io.seismo.sim.SimReading;
import io.seismo.sim.Simulator;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.SeismoTopology;
import io.seismo.train.ModelCatalog;
import io.seismo.train.TrainerListener;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** What the real-broker tests share: waiting on conditions, seeding data, looking into a running detector's state. */
final class BrokerTestSupport {
    private BrokerTestSupport() {
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after {@code timeout}. */
    static void waitFor(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(100); // polling interval, not a wait for an outcome
        }
    }

    /**
     * A producer for seeding test data: plain ordered sends, no sequence numbers (the idempotent producer was seen to
     * reset its sequence mid-run against the in-process broker and then be refused with OutOfOrderSequenceException).
     */
    static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return producer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The same seeding producer on top of other client settings (a secured cluster's login, for example). */
    static KafkaProducer<String, byte[]> producer(Map<String, Object> clientConfig) {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    /** Every committed record of a topic, read from its beginning to its end with read_committed. */
    static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> readCommitted(Map<String, Object> clientConfig,
                                                                                                String topic) {
        return readToEnd(committedConsumer(clientConfig, org.apache.kafka.common.serialization.StringDeserializer.class), topic);
    }

    /** As {@link #readCommitted}, keys as bytes (a dead letter's key is the original one, whatever it was). */
    static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> readCommittedBytes(Map<String, Object> clientConfig,
                                                                                                     String topic) {
        return readToEnd(bytesConsumer(clientConfig), topic);
    }

    /** A consumer of raw records with read_committed, not subscribed to anything. */
    static org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> bytesConsumer(Map<String, Object> clientConfig) {
        return committedConsumer(clientConfig, org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
    }

    private static <K> org.apache.kafka.clients.consumer.KafkaConsumer<K, byte[]> committedConsumer(Map<String, Object> clientConfig,
            Class<? extends org.apache.kafka.common.serialization.Deserializer<K>> keys) {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, keys);
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        return new org.apache.kafka.clients.consumer.KafkaConsumer<>(props);
    }

    private static <K> List<org.apache.kafka.clients.consumer.ConsumerRecord<K, byte[]>> readToEnd(
            org.apache.kafka.clients.consumer.KafkaConsumer<K, byte[]> reader, String topic) {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<K, byte[]>> records = new ArrayList<>();
        try (var consumer = reader) {
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** A reading as a producer writes it to the readings topic (Avro single-object encoding). */
    static byte[] encodedReading(String series, long timestamp, double value) {
        return SeismoSerdes.READING.encode(new Reading(series, java.time.Instant.ofEpochMilli(timestamp), value));
    }

    /** Whether the detector's committed offsets on every partition of the readings topic have reached its end. */
    static boolean committedToEnd(SeismoConfig config, org.apache.kafka.clients.admin.Admin admin,
                                  org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> probe) {
        try {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(config.cluster().applicationId()).partitionsToOffsetAndMetadata().get();
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            probe.partitionsFor(config.topics().readings())
                    .forEach(p -> partitions.add(new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())));
            Map<org.apache.kafka.common.TopicPartition, Long> end = probe.endOffsets(partitions);
            return partitions.stream().allMatch(p -> end.get(p) == 0 || committed.get(p) != null && committed.get(p).offset() >= end.get(p));
        } catch (java.util.concurrent.ExecutionException e) {
            return false; // the group is not there yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A trainer listener that keeps what it is told, for assertions; thread-safe. */
    static final class RecordingTrainerListener implements TrainerListener {
        private final List<ModelRelease> releases = new ArrayList<>();
        private final List<String> refusals = new ArrayList<>();

        @Override
        public synchronized void released(ModelRelease release) {
            releases.add(release);
        }

        @Override
        public synchronized void rejected(String reason) {
            refusals.add(reason);
        }

        synchronized List<ModelRelease> releases() {
            return List.copyOf(releases);
        }

        synchronized List<String> refusals() {
            return List.copyOf(refusals);
        }
    }

    /** Sends {@code ticks} ticks of the simulator (a reading of every series each) to {@code topic}, then flushes. */
    static void produce(KafkaProducer<String, byte[]> producer, String topic, Simulator simulator, int ticks) {
        for (int t = 0; t < ticks; t++) {
            for (SimReading r : simulator.nextTick()) {
                byte[] value = SeismoSerdes.READING.encode(new Reading(r.series(), Instant.ofEpochMilli(r.timestamp()), r.value()));
                producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.series(), value));
            }
        }
        producer.flush();
    }

    /** Every series' state in a running detector's store; empty while it is not RUNNING or rebalancing. */
    static Map<String, SeriesStateView> states(DetectorApp detector) {
        return detector.seriesStates();
    }

    /** Runs seismo commands in-process, as a user would, capturing stdout and stderr (both cleared before each run). */
    static final class Cli {
        final java.io.StringWriter out = new java.io.StringWriter();
        final java.io.StringWriter err = new java.io.StringWriter();

        int run(String... args) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            picocli.CommandLine cmd = SeismoCommand.commandLine();
            cmd.setOut(new java.io.PrintWriter(out, true));
            cmd.setErr(new java.io.PrintWriter(err, true));
            return cmd.execute(args);
        }
    }

    /**
     * Settings of a detector with its HTTP server on a free port, quick to calibrate: a short warm-up and calibration,
     * commits every 100 ms. A mutable map, for tests to add to.
     */
    static Map<String, String> servedSettings(String bootstrapServers, String applicationId, int partitions, java.nio.file.Path stateDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrapServers);
        settings.put("application.id", applicationId);
        settings.put("commit.interval.ms", "100");
        settings.put("topic.partitions", Integer.toString(partitions));
        settings.put("http.port", "0");
        settings.put("detect.warmup.readings", "10");
        settings.put("detect.spot.calibration", "100");
        settings.put("model.check.interval.ms", "200");
        settings.put("state.dir", stateDir.toString());
        return settings;
    }

    /** One detector instance with its HTTP server, wired as {@code seismo run} wires them; started. */
    record ServedDetector(SeismoMetrics metrics, ApiServer server, DetectorApp detector)
            implements AutoCloseable {
        static ServedDetector start(SeismoConfig config) {
            SeismoMetrics metrics = new SeismoMetrics();
            ApiServer server = ApiServer.start(config, metrics,
                    () -> new ModelCatalog(config, Duration.ofSeconds(10)).read(config.model().name()).releases());
            DetectorApp detector = new DetectorApp(config, server.detectorMetrics(), server.applicationServer());
            server.attach(detector);
            detector.start();
            return new ServedDetector(metrics, server, detector);
        }

        /** The server's URL for {@code path} (which starts with a slash). */
        String url(String path) {
            return server.url() + path.substring(1);
        }

        @Override
        public void close() {
            detector.close();
            server.close();
            metrics.close();
        }
    }
}
