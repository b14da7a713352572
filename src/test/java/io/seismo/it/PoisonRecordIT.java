package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.encodedReading;
import static io.seismo.it.BrokerTestSupport.producer;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.ScoredReading;
import io.seismo.stream.DeadLetters;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs the broker refuses, on a real broker under exactly-once: a dead letter larger than its topic's
 * {@code max.message.bytes}, and outputs stamped later than their topics' {@code message.timestamp.after.max.ms}. A
 * refused send dooms its transaction; the input is then read again and dead-lettered in a form the broker accepts. The
 * partition keeps moving (the readings after it are judged) and, read with read_committed, every input comes out exactly
 * once: inputs = judged + dead-lettered.
 */
class PoisonRecordIT {
    private static final long STEP = 60_000L;
    private static final int SERIES = 3;
    private static final int TICKS = 40;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @TempDir
    Path stateDir;

    /** What was sent and the dead-letter reason expected for it (null: judged). */
    private record Sent(String key, byte[] value, String expected) {
    }

    private SeismoConfig config(String prefix) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("state.dir", stateDir.toString());
        settings.put("application.id", prefix + "-it");
        settings.put("processing.guarantee", "exactly_once_v2");
        settings.put("commit.interval.ms", "100");
        for (String topic : new String[] {"readings", "anomalies", "training", "models", "deadletter", "scores", "feedback"}) {
            settings.put("topic." + topic, prefix + "-" + topic);
        }
        settings.put("topic.partitions", "1");
        settings.put("model.hidden.size", "8");
        return SeismoConfig.parse(settings);
    }

    private static void alter(SeismoConfig config, String topic, String key, String value) throws Exception {
        try (Admin admin = Admin.create(config.clientConfig())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
    }

    @Test
    void shouldDeadLetterARecordWhoseDeadLetterIsTooLargeForItsTopicWithoutItsBytesAndKeepGoing() throws Exception {
        SeismoConfig config = config("poison-large");
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        alter(config, config.topics().deadLetter(), "max.message.bytes", "16384");

        long start = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        Map<Long, Sent> sent = new HashMap<>();
        byte[] huge = new byte[40_000];
        Arrays.fill(huge, (byte) 'x');
        int valid = stream(config, start, sent, (producer, t, ts) -> {
            if (t == 10 || t == 25) {
                // Undecodable, and its dead letter (the 40 kB kept whole) is larger than the dead-letter topic takes.
                send(producer, config, sent, ts, new Sent("series-0", huge, "OUTPUT_REFUSED"));
                send(producer, config, sent, ts, new Sent("series-0", "not avro".getBytes(StandardCharsets.UTF_8), "UNDECODABLE"));
            }
        });

        Outcome outcome = run(config, sent);
        assertEquals(valid, outcome.judged(), "every reading judged, those after the poison records included");
        assertEquals(sent.size(), outcome.judged() + outcome.deadLettered(), "inputs = judged + dead-lettered");
        for (DeadLetter letter : outcome.letters()) {
            if (letter.getReasonCode().equals("OUTPUT_REFUSED")) {
                assertNull(letter.getValue(), "the reduced letter keeps no bytes");
                assertTrue(letter.getTruncated());
                assertTrue(letter.getReason().contains("RecordTooLargeException"), letter.getReason());
                assertTrue(letter.getReason().contains("UNDECODABLE"), "the original reason is said: " + letter.getReason());
            }
        }
        System.out.printf(java.util.Locale.ROOT, "poison IT (dead letter too large): %d inputs = %d judged + %d dead-lettered %s; "
                + "%d thread replacements%n", sent.size(), outcome.judged(), outcome.deadLettered(), outcome.byReason(), outcome.replacements());
    }

    @Test
    void shouldDeadLetterAReadingWhoseOutputsAreStampedBeyondTheTopicsTimestampBoundAndKeepGoing() throws Exception {
        SeismoConfig config = config("poison-time");
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        for (String topic : List.of(config.topics().scores(), config.topics().training(), config.topics().anomalies())) {
            alter(config, topic, "message.timestamp.after.max.ms", "60000");
        }

        long now = System.currentTimeMillis();
        long start = now - Duration.ofHours(2).toMillis();
        Map<Long, Sent> sent = new HashMap<>();
        int valid = stream(config, start, sent, (producer, t, ts) -> {
            if (t == 20) {
                // Twenty minutes ahead: within input.max.future.ms (an hour) and the readings topic's bound, beyond the outputs'.
                long ahead = now + Duration.ofMinutes(20).toMillis();
                send(producer, config, sent, ahead, new Sent("series-1", encodedReading("series-1", ahead, 51), "OUTPUT_REFUSED"));
            }
        });

        Outcome outcome = run(config, sent);
        assertEquals(valid, outcome.judged(), "every other reading judged, those of the same series after it included");
        assertEquals(sent.size(), outcome.judged() + outcome.deadLettered(), "inputs = judged + dead-lettered");
        DeadLetter letter = outcome.letters().stream().filter(l -> l.getReasonCode().equals("OUTPUT_REFUSED")).findFirst().orElseThrow();
        assertTrue(letter.getReason().contains("InvalidTimestampException"), letter.getReason());
        assertNotNull(letter.getValue(), "the reading's own bytes are kept");
        System.out.printf(java.util.Locale.ROOT, "poison IT (timestamp refused): %d inputs = %d judged + %d dead-lettered %s; "
                + "%d thread replacements%n", sent.size(), outcome.judged(), outcome.deadLettered(), outcome.byReason(), outcome.replacements());
    }

    private record Outcome(int judged, int deadLettered, List<DeadLetter> letters, Map<String, Integer> byReason, int replacements) {
    }

    /**
     * Runs the detector until it has committed its way to the end of the readings, then reads scores and dead letters
     * with read_committed and checks that each dead letter names an input once, with the reason expected.
     */
    private Outcome run(SeismoConfig config, Map<Long, Sent> sent) throws Exception {
        DetectorApp detector = new DetectorApp(config);
        int replacements;
        try (Admin admin = Admin.create(config.clientConfig());
             KafkaConsumer<byte[], byte[]> probe = BrokerTestSupport.bytesConsumer(config.clientConfig())) {
            detector.start();
            waitFor(Duration.ofSeconds(120), "the detector has committed its way to the end of the readings",
                    () -> BrokerTestSupport.committedToEnd(config, admin, probe));
            assertFalse(detector.replacementsExhausted());
            assertEquals(0, detector.threadReplacements(), "a refused output uses none of stream.thread.replacements.max");
            assertEquals(0, detector.refusedOutputs().droppedCount(), "nothing dropped");
            assertTrue(detector.refusedOutputs().refusalCount() > 0, "the broker did refuse outputs");
            replacements = detector.threadReplacements();
        } finally {
            detector.close();
        }
        List<ConsumerRecord<byte[], byte[]>> scores = BrokerTestSupport.readCommittedBytes(config.clientConfig(), config.topics().scores());
        List<ConsumerRecord<byte[], byte[]>> raw = BrokerTestSupport.readCommittedBytes(config.clientConfig(), config.topics().deadLetter());
        Map<Long, Sent> remaining = new HashMap<>(sent);
        Map<String, Integer> byReason = new TreeMap<>();
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : raw) {
            DeadLetter letter = SeismoSerdes.DEAD_LETTER.decode(r.value());
            letters.add(letter);
            byReason.merge(letter.getReasonCode(), 1, Integer::sum);
            assertEquals(config.topics().readings(), letter.getSourceTopic());
            Sent original = remaining.remove(letter.getSourceOffset());
            assertNotNull(original, "the dead letter names an input not dead-lettered before: " + letter);
            assertEquals(original.expected(), letter.getReasonCode(), letter::getReason);
            assertTrue(r.timestamp() <= System.currentTimeMillis(), "the dead letter is stamped with a time the broker accepts");
            assertNotNull(r.headers().lastHeader(DeadLetters.REASON_HEADER));
        }
        for (ConsumerRecord<byte[], byte[]> r : scores) {
            ScoredReading s = SeismoSerdes.SCORED.decode(r.value());
            assertNotNull(s);
        }
        assertEquals(0, remaining.values().stream().filter(s -> s.expected() != null).count(), "every poison record dead-lettered");
        return new Outcome(scores.size(), raw.size(), letters, byReason, replacements);
    }


    /** What a test adds to the stream after tick {@code t} (at event time {@code ts}) of the regular readings. */
    @FunctionalInterface
    private interface Extra {
        void after(KafkaProducer<String, byte[]> producer, int t, long ts) throws Exception;
    }

    /**
     * Sends {@code TICKS} ticks of a reading of every series from {@code start}, each tick followed by what {@code extra}
     * adds; returns the regular readings sent (each to be judged).
     */
    private static int stream(SeismoConfig config, long start, Map<Long, Sent> sent, Extra extra) throws Exception {
        int valid = 0;
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            for (int t = 0; t < TICKS; t++) {
                long ts = start + t * STEP;
                for (int s = 0; s < SERIES; s++) {
                    String series = "series-" + s;
                    send(producer, config, sent, ts, new Sent(series, encodedReading(series, ts, 50 + s + Math.sin(t / 5.0)), null));
                    valid++;
                }
                extra.after(producer, t, ts);
            }
        }
        return valid;
    }

    private static void send(KafkaProducer<String, byte[]> producer, SeismoConfig config, Map<Long, Sent> sent, long recordTimestamp,
                             Sent record) throws Exception {
        RecordMetadata m = producer.send(new ProducerRecord<>(config.topics().readings(), 0, recordTimestamp, record.key(), record.value()))
                .get();
        sent.put(m.offset(), record);
    }


}
