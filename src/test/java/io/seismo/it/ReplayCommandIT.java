package io.seismo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.schema.Reading;
import io.seismo.sim.SimConfig;
import io.seismo.sim.Simulator;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code seismo replay} on a real in-process broker: a readings topic pre-filled with known readings of several series
 * over ten days (and a few records that are not readings) is replayed for a window and a pattern; the summary and the
 * training topic hold exactly the readings of the matching series inside the window, unchanged.
 */
class ReplayCommandIT {
    private static final List<String> SERIES = List.of("sensor-001", "sensor-002", "sensor-003", "host-cpu");
    private static final Duration STEP = Duration.ofHours(6);
    private static final int TICKS = 40;
    private static final int FIRST_TICK = 8;
    private static final int END_TICK = 20;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    private final BrokerTestSupport.Cli cli = new BrokerTestSupport.Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @Test
    void shouldCopyExactlyTheReadingsOfMatchingSeriesInsideTheWindowUnchanged() throws Exception {
        SeismoConfig config = config("history", "training-window");
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        // Ten days ending a day ago: brokers refuse timestamps in the future.
        Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(11));
        Instant from = base.plus(STEP.multipliedBy(FIRST_TICK));
        Instant to = base.plus(STEP.multipliedBy(END_TICK));

        Map<String, byte[]> expected = new HashMap<>(); // series@timestamp -> value bytes
        Set<Integer> partitionsInWindow = new HashSet<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int tick = 0; tick < TICKS; tick++) {
                long ts = base.plus(STEP.multipliedBy(tick)).toEpochMilli();
                boolean inWindow = tick >= FIRST_TICK && tick < END_TICK;
                for (int s = 0; s < SERIES.size(); s++) {
                    String series = SERIES.get(s);
                    byte[] value = SeismoSerdes.READING.encode(new Reading(series, Instant.ofEpochMilli(ts), 10.0 * s + tick));
                    RecordMetadata m = producer.send(new ProducerRecord<>("history", null, ts, series, value)).get();
                    if (inWindow) {
                        partitionsInWindow.add(m.partition());
                        if (series.startsWith("sensor-")) {
                            expected.put(series + "@" + ts, value);
                        }
                    }
                }
                if (tick == FIRST_TICK + 1 || tick == END_TICK - 1 || tick == 2) {
                    // Not readings: two inside the window (keyed like a matching series), one before it.
                    byte[] junk = ("no reading at tick " + tick).getBytes(StandardCharsets.UTF_8);
                    RecordMetadata m = producer.send(new ProducerRecord<>("history", null, ts, "sensor-001", junk)).get();
                    if (inWindow) {
                        partitionsInWindow.add(m.partition());
                    }
                }
            }
        }
        assertEquals(36, expected.size(), "3 matching series x 12 ticks in the window");

        int code = cli.run("replay", "--topic", "history", "--from", from.toString(), "--to", Long.toString(to.toEpochMilli()),
                "--series", "sensor-*", "--set", "bootstrap.servers=" + broker.bootstrapServers(),
                "--set", "topic.readings=history", "--set", "topic.training=training-window");
        String summary = out.toString();
        assertEquals(0, code, summary + err);

        assertEquals(partitionsInWindow.size() + " of 4 had records in the window", value(summary, "partitions"));
        assertEquals("50", value(summary, "records read"), "12 ticks x 4 series + 2 undecodable");
        assertEquals("36", value(summary, "matched"));
        assertEquals("2", value(summary, "skipped undecodable"));
        assertEquals("12 (series not matching sensor-*)", value(summary, "skipped filtered"));
        assertEquals("36 to training-window", value(summary, "written"));
        Instant lastInWindow = base.plus(STEP.multipliedBy(END_TICK - 1));
        assertEquals(from + " .. " + lastInWindow, value(summary, "time range covered"));
        assertTrue(summary.contains("records/s"), summary);
        assertTrue(err.toString().contains("replay"), "a progress bar on stderr: " + err);

        List<ConsumerRecord<String, byte[]>> copied = BrokerTestSupport.readCommitted(config.clientConfig(), "training-window");
        assertEquals(36, copied.size());
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : copied) {
            String id = r.key() + "@" + r.timestamp();
            assertTrue(r.key().startsWith("sensor-"), "only matching series are copied: " + id);
            assertTrue(r.timestamp() >= from.toEpochMilli() && r.timestamp() < to.toEpochMilli(), "only the window is copied: " + id);
            assertTrue(expected.containsKey(id), "a reading of the source, with its timestamp kept: " + id);
            assertTrue(java.util.Arrays.equals(expected.get(id), r.value()), "value bytes unchanged: " + id);
            Reading reading = SeismoSerdes.READING.decode(r.value());
            assertEquals(r.timestamp(), reading.getTimestamp().toEpochMilli(), "record timestamp is the reading's own");
            assertTrue(seen.add(id), "each reading copied once: " + id);
        }
        assertEquals(expected.keySet(), seen);
    }

    @Test
    void shouldReplayEverySeriesOfARelativeWindowWhenNoPatternIsGiven() throws Exception {
        SeismoConfig config = config("recent", "training-recent");
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int hoursAgo : new int[] {50, 30, 20, 10, 2}) {
                Instant ts = now.minus(Duration.ofHours(hoursAgo));
                for (String series : SERIES) {
                    producer.send(new ProducerRecord<>("recent", null, ts.toEpochMilli(), series,
                            SeismoSerdes.READING.encode(new Reading(series, ts, (double) hoursAgo)))).get();
                }
            }
        }
        int code = cli.run("replay", "--topic", "recent", "--from", "36h", "--to", "6h", "--set", "bootstrap.servers=" + broker.bootstrapServers(),
                "--set", "topic.readings=recent", "--set", "topic.training=training-recent");
        assertEquals(0, code, out.toString() + err);
        assertEquals("12", value(out.toString(), "matched"), "3 ticks x 4 series between 36 and 6 hours ago");
        assertEquals("0", value(out.toString(), "skipped filtered"));
        assertEquals(12, BrokerTestSupport.readCommitted(config.clientConfig(), "training-recent").size());
    }

    @Test
    void shouldCopyCommittedReadingsButNotThoseOfAnAbortedTransaction() throws Exception {
        SeismoConfig config = config("transactional", "training-transactional");
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "replay-it");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            for (int tick = 0; tick < 3; tick++) {
                producer.beginTransaction();
                for (String series : SERIES) {
                    Instant ts = base.plus(Duration.ofHours(tick));
                    producer.send(new ProducerRecord<>("transactional", null, ts.toEpochMilli(), series,
                            SeismoSerdes.READING.encode(new Reading(series, ts, (double) tick))));
                }
                if (tick == 1) {
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
        }
        int code = cli.run("replay", "--topic", "transactional", "--from", base.toString(), "--to", "now",
                "--set", "bootstrap.servers=" + broker.bootstrapServers(), "--set", "topic.training=training-transactional");
        assertEquals(0, code, out.toString() + err);
        assertEquals("8", value(out.toString(), "records read"), "the aborted transaction's 4 readings are not read");
        assertEquals("8 to training-transactional", value(out.toString(), "written"));
        List<ConsumerRecord<String, byte[]>> copied = BrokerTestSupport.readCommitted(config.clientConfig(), "training-transactional");
        assertEquals(8, copied.size());
        assertTrue(copied.stream().noneMatch(r -> r.timestamp() == base.plus(Duration.ofHours(1)).toEpochMilli()), "nothing aborted copied");
    }

    @Test
    void shouldStopWithOneClearLineWhenTheTopicDoesNotExist() {
        int code = cli.run("replay", "--topic", "no-such-topic", "--from", "7d", "--set", "bootstrap.servers=" + broker.bootstrapServers(),
                "--set", "topic.training=training-unknown");
        assertEquals(1, code);
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("topic 'no-such-topic' does not exist"), message);
    }

    @Test
    void shouldRejectAWindowWhoseStartIsNotBeforeItsEnd() {
        assertEquals(2, cli.run("replay", "--from", "2026-01-02", "--to", "2026-01-01T00:00:00Z"));
        assertTrue(err.toString().contains("--from 2026-01-02T00:00:00Z is not before --to 2026-01-01T00:00:00Z"), err.toString());
    }

    @Test
    void shouldRejectATimeItCannotReadNamingTheAcceptedForms() {
        assertEquals(2, cli.run("replay", "--from", "yesterday"));
        assertTrue(err.toString().contains("--from: 'yesterday' is not a time"), err.toString());
        assertTrue(err.toString().contains("7d"), err.toString());
    }

    @Test
    void shouldTrainAndPublishAReleaseOnTheWindowWhenReplayingIntoTheTrainer() throws Exception {
        String readings = "trainer-readings";
        String[] topics = {"--set", "topic.readings=" + readings, "--set", "topic.training=trainer-training",
            "--set", "topic.models=trainer-models", "--set", "topic.anomalies=trainer-anomalies",
            "--set", "topic.deadletter=trainer-deadletter", "--set", "bootstrap.servers=" + broker.bootstrapServers()};
        SeismoConfig config = SeismoConfig.parse(Map.of("bootstrap.servers", broker.bootstrapServers(), "topic.readings", readings,
                "topic.training", "trainer-training", "topic.models", "trainer-models", "topic.anomalies", "trainer-anomalies",
                "topic.deadletter", "trainer-deadletter"));
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        long start = Instant.now().minus(Duration.ofDays(3)).toEpochMilli();
        Simulator simulator = new Simulator(new SimConfig(3, 4, start, 60_000L, 500, 400));
        try (KafkaProducer<String, byte[]> producer = BrokerTestSupport.producer(broker.bootstrapServers())) {
            BrokerTestSupport.produce(producer, readings, simulator, 500);
        }
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("replay", "--from", "4d", "--into", "trainer",
                "--set", "model.hidden.size=8", "--set", "model.inputs=value", "--set", "train.min.samples.per.series=150", "--set", "train.history=500"),
                java.util.Arrays.stream(topics)).toArray(String[]::new);
        assertEquals(0, cli.run(args), out + "\n" + err);
        assertTrue(out.toString().contains("readings read     1,500"), out.toString());
        assertTrue(out.toString().contains("published release 1 of model 'default' (parent 0)"), out.toString());

        // The same window again: warm-started from release 1, the gate asks for a 50% improvement and gets none.
        out.getBuffer().setLength(0);
        String[] strict = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--set",
                "train.validation.margin=0.5")).toArray(String[]::new);
        assertEquals(3, cli.run(strict), out + "\n" + err);
        assertTrue(out.toString().contains("nothing published: held-out error"), out.toString());
    }

    private static SeismoConfig config(String readings, String training) {
        return SeismoConfig.parse(Map.of("bootstrap.servers", broker.bootstrapServers(), "topic.readings", readings,
                "topic.training", training, "topic.partitions", "4"));
    }


    /** The value printed after a label in the summary. */
    private static String value(String summary, String label) {
        Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(label) + " +(.+?)\\s*$").matcher(summary);
        if (!m.find()) {
            fail("no '" + label + "' in the summary:\n" + summary);
        }
        return m.group(1);
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

}
