package io.seismo.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaIT {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startTemporary();
        LOG.info("TIMING temporary broker start: {} ms", kafka.lastStartDuration().toMillis());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void createsPlainAndCompactedTopicsAndDeliversARecord() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        TopicAdmin.ensureTopics(
                ClientConfigs.admin(bootstrap),
                List.of(TopicSpec.of("plain", 2), TopicSpec.compacted("state", 2, 1024 * 1024)),
                TIMEOUT);

        try (Admin admin = Admin.create(ClientConfigs.admin(bootstrap))) {
            ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, "state");
            Config config =
                    admin.describeConfigs(List.of(state)).all().get(10, TimeUnit.SECONDS).get(state);
            assertEquals("compact", config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            assertEquals("1048576", config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        }

        produce(bootstrap, "plain", "k", "hello");
        produce(bootstrap, "state", "k", "v1");
        assertEquals(List.of("hello"), values(readAll(bootstrap, "plain", 2, false, has("hello"))));
        assertEquals(List.of("v1"), values(readAll(bootstrap, "state", 2, false, has("v1"))));
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsButNotAbortedOnes() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        TopicAdmin.ensureTopics(
                ClientConfigs.admin(bootstrap), List.of(TopicSpec.of("tx", 1)), TIMEOUT);

        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(ClientConfigs.transactionalProducer(bootstrap, "tx-it"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("tx", "a", "committed-1"));
            producer.send(record("tx", "a", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record("tx", "a", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record("tx", "a", "committed-3"));
            producer.commitTransaction();
        }

        assertEquals(
                List.of("committed-1", "committed-2", "committed-3"),
                values(readAll(bootstrap, "tx", 1, true, has("committed-3"))));
        assertEquals(
                List.of("committed-1", "committed-2", "aborted", "committed-3"),
                values(readAll(bootstrap, "tx", 1, false, has("committed-3"))),
                "read_uncommitted still sees the aborted record");
    }

    @Test
    void ensureTopicsIsIdempotent() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        List<TopicSpec> specs =
                List.of(TopicSpec.of("idem-a", 3), TopicSpec.compacted("idem-b", 1, 2 * 1024 * 1024));
        TopicAdmin.ensureTopics(ClientConfigs.admin(bootstrap), specs, TIMEOUT);
        TopicAdmin.ensureTopics(ClientConfigs.admin(bootstrap), specs, TIMEOUT);
        TopicAdmin.ensureTopics(ClientConfigs.admin(bootstrap), specs.subList(0, 1), TIMEOUT);

        try (Admin admin = Admin.create(ClientConfigs.admin(bootstrap))) {
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertTrue(names.containsAll(Set.of("idem-a", "idem-b")), names.toString());
            assertEquals(
                    3,
                    admin.describeTopics(List.of("idem-a")).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get("idem-a").partitions().size());
        }
    }

    @Test
    void ensureTopicsRejectsTwoSpecsWithTheSameName() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        TopicAdmin.ensureTopics(
                                ClientConfigs.admin(kafka.bootstrapServers()),
                                List.of(TopicSpec.of("dup", 1), TopicSpec.of("dup", 2)),
                                TIMEOUT));
    }

    @Test
    void acceptsAnEightMegabyteRecord() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        TopicAdmin.ensureTopics(
                ClientConfigs.admin(bootstrap), List.of(TopicSpec.of("big", 1)), TIMEOUT);
        byte[] payload = new byte[EmbeddedKafka.MAX_RECORD_BYTES];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(ClientConfigs.producer(bootstrap))) {
            producer.send(new ProducerRecord<>("big", "k".getBytes(UTF_8), payload)).get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> records =
                readAll(bootstrap, "big", 1, false, r -> r.size() >= 1);
        assertEquals(1, records.size());
        assertArrayEquals(payload, records.get(0).value());
    }

    @Test
    void restartOnTheSameDirectoryKeepsTopicsRecordsAndCanTakeNewPorts(@TempDir Path dir)
            throws Exception {
        Path dataDir = dir.resolve("broker");
        try (EmbeddedKafka persistent = EmbeddedKafka.start(dataDir)) {
            LOG.info("TIMING persistent broker first start (format): {} ms",
                    persistent.lastStartDuration().toMillis());
            assertEquals(dataDir.toAbsolutePath(), persistent.dataDirectory());
            TopicAdmin.ensureTopics(
                    ClientConfigs.admin(persistent.bootstrapServers()),
                    List.of(TopicSpec.of("kept", 2), TopicSpec.compacted("kept-state", 1, 1024 * 1024)),
                    TIMEOUT);
            for (int i = 0; i < 3; i++) {
                produce(persistent.bootstrapServers(), "kept", "k" + i, "v" + i);
            }

            long t0 = System.nanoTime();
            persistent.restart();
            LOG.info("TIMING restart (stop + start): {} ms, start part {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                    persistent.lastStartDuration().toMillis());
            assertTrue(persistent.isRunning());
            assertEquals(
                    Set.of("v0", "v1", "v2"),
                    Set.copyOf(values(readAll(persistent.bootstrapServers(), "kept", 2, false, r -> r.size() >= 3))));
            produce(persistent.bootstrapServers(), "kept", "k3", "v3");
        }
        assertTrue(Files.exists(dataDir.resolve("logs").resolve("meta.properties")),
                "a persistent directory survives close()");

        // A new instance on the same directory (as after a JVM restart), on fresh ports.
        try (EmbeddedKafka again = EmbeddedKafka.start(dataDir)) {
            LOG.info("TIMING new instance on existing directory: {} ms",
                    again.lastStartDuration().toMillis());
            try (Admin admin = Admin.create(ClientConfigs.admin(again.bootstrapServers()))) {
                Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                assertTrue(names.containsAll(Set.of("kept", "kept-state")), names.toString());
            }
            assertEquals(
                    Set.of("v0", "v1", "v2", "v3"),
                    Set.copyOf(values(readAll(again.bootstrapServers(), "kept", 2, false, r -> r.size() >= 4))));
        }
    }

    @Test
    void restartTakesNewPortsWhenTheOldOnesAreTaken() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
            TopicAdmin.ensureTopics(
                    ClientConfigs.admin(broker.bootstrapServers()), List.of(TopicSpec.of("moved", 1)), TIMEOUT);
            produce(broker.bootstrapServers(), "moved", "k", "before");
            String before = broker.bootstrapServers();
            int oldPort = Integer.parseInt(before.substring(before.lastIndexOf(':') + 1));
            broker.stop();
            assertFalse(broker.isRunning());
            try (ServerSocket squatter = new ServerSocket()) {
                squatter.bind(new InetSocketAddress("localhost", oldPort));
                broker.restart();
            }
            assertNotEquals(before, broker.bootstrapServers());
            assertEquals(
                    List.of("before"),
                    values(readAll(broker.bootstrapServers(), "moved", 1, false, has("before"))));
        }
    }

    @Test
    void closeIsIdempotentAndDeletesATemporaryDirectory() {
        EmbeddedKafka temporary = EmbeddedKafka.startTemporary().closeOnShutdown();
        Path dir = temporary.dataDirectory();
        assertTrue(Files.isDirectory(dir));
        temporary.close();
        temporary.close();
        temporary.stop();
        assertFalse(temporary.isRunning());
        assertFalse(Files.exists(dir), "temporary directory deleted");
        assertThrows(IllegalStateException.class, temporary::bootstrapServers);
        assertThrows(IllegalStateException.class, temporary::restart);
    }

    // ---------------------------------------------------------------------------------------------

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key.getBytes(UTF_8), value.getBytes(UTF_8));
    }

    private static void produce(String bootstrap, String topic, String key, String value)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(ClientConfigs.producer(bootstrap))) {
            producer.send(record(topic, key, value)).get(10, TimeUnit.SECONDS);
        }
    }

    private static Predicate<List<ConsumerRecord<byte[], byte[]>>> has(String value) {
        return records -> values(records).contains(value);
    }

    /**
     * Reads all partitions of a topic from the beginning (no consumer group) until {@code done}
     * holds for what was read, or fails at the deadline.
     */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            String bootstrap,
            String topic,
            int partitions,
            boolean readCommitted,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Map<String, Object> config = ClientConfigs.consumer(bootstrap, "unused", readCommitted);
        config.remove("group.id");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!done.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("gave up reading " + topic + " after " + values(records));
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Anything else already there?
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            values.add(r.value().length > 100 ? "<" + r.value().length + " bytes>" : new String(r.value(), UTF_8));
        }
        return values;
    }
}
