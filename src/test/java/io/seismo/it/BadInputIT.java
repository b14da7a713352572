package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.encodedReading;
import static io.seismo.it.BrokerTestSupport.producer;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixed batch of good and bad records through a real broker under exactly-once: every input comes out exactly once,
 * judged (a scored reading) or dead-lettered with its reason, its original bytes and its source partition and offset,
 * all read with read_committed once the detector has committed its way to the end of the input.
 */
class BadInputIT {
    private static final long STEP = 60_000L;
    private static final int SERIES = 6;
    private static final int TICKS = 60;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @TempDir
    Path stateDir;

    /** What was sent, where it landed, and the dead-letter reason expected (null: judged). */
    private record Sent(String key, byte[] value, String expected) {
    }

    @Test
    void shouldJudgeOrDeadLetterEveryRecordOfAMixedBatchExactlyOnce() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("state.dir", stateDir.toString());
        settings.put("application.id", "badinput-it");
        settings.put("processing.guarantee", "exactly_once_v2");
        settings.put("commit.interval.ms", "100");
        for (String topic : new String[] {"readings", "anomalies", "training", "models", "deadletter", "scores", "feedback"}) {
            settings.put("topic." + topic, "bad-" + topic);
        }
        settings.put("topic.partitions", "2");
        settings.put("model.hidden.size", "8");
        SeismoConfig config = SeismoConfig.parse(settings);
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));

        long now = System.currentTimeMillis();
        long start = now - Duration.ofHours(3).toMillis();
        Map<TopicPartition, Map<Long, Sent>> sent = new HashMap<>();
        int inputs = 0;
        int valid = 0;
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            for (int t = 0; t < TICKS; t++) {
                long ts = start + t * STEP;
                for (int s = 0; s < SERIES; s++) {
                    String series = "series-" + s;
                    send(producer, config, sent, ts, new Sent(series, encodedReading(series, ts, 50 + s + Math.sin(t / 5.0)), null));
                    inputs++;
                    valid++;
                }
                if (t % 20 == 10) {
                    for (Sent bad : badRecords(ts, now)) {
                        send(producer, config, sent, bad.expected().equals("TIMESTAMP_OUT_OF_RANGE") ? now : ts, bad);
                        inputs++;
                    }
                }
            }
        }

        DetectorApp detector = new DetectorApp(config);
        try (Admin admin = Admin.create(config.clientConfig());
             KafkaConsumer<byte[], byte[]> probe = BrokerTestSupport.bytesConsumer(config.clientConfig())) {
            detector.start();
            waitFor(Duration.ofSeconds(120), "the detector has committed its way to the end of the readings",
                    () -> BrokerTestSupport.committedToEnd(config, admin, probe));
        } finally {
            detector.close();
        }

        List<ConsumerRecord<byte[], byte[]>> scores = BrokerTestSupport.readCommittedBytes(config.clientConfig(), config.topics().scores());
        List<ConsumerRecord<byte[], byte[]>> letters = BrokerTestSupport.readCommittedBytes(config.clientConfig(), config.topics().deadLetter());
        Map<String, Integer> byReason = new TreeMap<>();
        int matched = 0;
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            DeadLetter letter = SeismoSerdes.DEAD_LETTER.decode(r.value());
            byReason.merge(letter.getReasonCode(), 1, Integer::sum);
            TopicPartition source = new TopicPartition(letter.getSourceTopic(), letter.getSourcePartition());
            Sent original = sent.getOrDefault(source, Map.of()).remove(letter.getSourceOffset());
            assertNotNull(original, "the dead letter names an input not dead-lettered before: " + letter);
            assertEquals(original.expected(), letter.getReasonCode(), letter::getReason);
            assertArrayEquals(original.key() == null ? null : original.key().getBytes(StandardCharsets.UTF_8), DeadLetters.bytes(letter.getKey()));
            assertArrayEquals(original.value(), DeadLetters.bytes(letter.getValue()), "original bytes of " + letter.getReasonCode());
            matched++;
        }
        for (ConsumerRecord<byte[], byte[]> r : scores) {
            SeismoSerdes.SCORED.decode(r.value());
        }
        long stillExpectedDead = sent.values().stream().flatMap(m -> m.values().stream()).filter(s -> s.expected() != null).count();
        assertEquals(0, stillExpectedDead, "every bad record was dead-lettered");
        assertEquals(valid, scores.size(), "every good reading judged exactly once");
        assertEquals(inputs, scores.size() + matched, "inputs = judged + dead letters (no drops): " + byReason);
        System.out.printf(java.util.Locale.ROOT, "bad-input IT: %d inputs, %d judged, %d dead letters, 0 drops; %s%n",
                inputs, scores.size(), matched, byReason);
    }

    /** One of each kind of bad record, around event time {@code ts}. */
    private static List<Sent> badRecords(long ts, long now) {
        String s = "series-0";
        byte[] valid = encodedReading(s, ts, 1.0);
        ScoredReading other = ScoredReading.newBuilder().setSeries(s).setTimestamp(Instant.ofEpochMilli(ts)).setValue(1).setScored(false)
                .setExpected(1).setLower(0).setUpper(2).setError(0).setThreshold(0).setScore(0).setAnomalous(false).setInEpisode(false)
                .setModelVersion(0).build();
        String longKey = "k".repeat(2000);
        return List.of(
                new Sent(s, "not avro at all".getBytes(StandardCharsets.UTF_8), "UNDECODABLE"),
                new Sent(s, Arrays.copyOf(valid, valid.length - 4), "UNDECODABLE"),
                new Sent(s, Arrays.copyOf(valid, valid.length + 3), "UNDECODABLE"),
                new Sent(s, SeismoSerdes.SCORED.encode(other), "UNKNOWN_SCHEMA"),
                new Sent(null, encodedReading(s, ts, 1.0), "NULL_KEY"),
                new Sent("", encodedReading("", ts, 1.0), "NULL_KEY"),
                new Sent(s, null, "NULL_VALUE"),
                new Sent("series-1", encodedReading(s, ts, 1.0), "KEY_MISMATCH"),
                new Sent(longKey, encodedReading(longKey, ts, 1.0), "KEY_TOO_LONG"),
                new Sent(s, encodedReading(s, ts + 1, Double.NaN), "NON_FINITE_VALUE"),
                new Sent(s, encodedReading(s, ts + 1, Double.POSITIVE_INFINITY), "NON_FINITE_VALUE"),
                new Sent(s, encodedReading(s, ts + 1, Double.NEGATIVE_INFINITY), "NON_FINITE_VALUE"),
                new Sent(s, encodedReading(s, ts + 1, 1e300), "VALUE_OUT_OF_RANGE"),
                new Sent(s, encodedReading(s, now + Duration.ofDays(1).toMillis(), 1.0), "TIMESTAMP_OUT_OF_RANGE"),
                new Sent(s, encodedReading(s, -5, 1.0), "TIMESTAMP_OUT_OF_RANGE"),
                new Sent(s, encodedReading(s, ts - 5 * STEP, 1.0), "OUT_OF_ORDER"),
                new Sent(s, encodedReading(s, ts, 1.0), "OUT_OF_ORDER"));
    }


    private static void send(KafkaProducer<String, byte[]> producer, SeismoConfig config, Map<TopicPartition, Map<Long, Sent>> sent,
                             long recordTimestamp, Sent record) throws Exception {
        RecordMetadata m = producer.send(new ProducerRecord<>(config.topics().readings(), null, recordTimestamp, record.key(), record.value()))
                .get();
        sent.computeIfAbsent(new TopicPartition(m.topic(), m.partition()), p -> new HashMap<>()).put(m.offset(), record);
    }
}
