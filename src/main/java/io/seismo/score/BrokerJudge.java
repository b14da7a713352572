package io.seismo.score;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.ClientConfigs;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.DetectorOutputs;
import io.seismo.stream.SeismoSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The production topology run as the live detector runs it: a Kafka Streams application ({@link DetectorApp}) on the
 * run's own topics, fed through the broker. A batch is produced, then the driver waits until every reading of it is
 * judged (scored or dead-lettered) and read back with {@code read_committed}; a release is published and waited for
 * until the detector's global model store holds it.
 */
final class BrokerJudge implements Judge {
    static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(120);

    private final SeismoConfig config;
    private final DetectorApp app;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> outputs;

    /** Starts the detector on the run's topics, which must exist and be empty. */
    BrokerJudge(SeismoConfig config) {
        this.config = config;
        this.app = new DetectorApp(config);
        this.producer = new KafkaProducer<>(producerConfig(config));
        this.outputs = outputConsumer(config);
        app.start();
        app.awaitRunning(PROGRESS_TIMEOUT);
    }

    @Override
    public void judge(List<ScoringRun.Input> batch, DetectorOutputs out) {
        for (ScoringRun.Input in : batch) {
            producer.send(new ProducerRecord<>(config.topics().readings(), null, in.timestamp(), in.key(), in.value()));
        }
        producer.flush();
        SeismoConfig.Topics t = config.topics();
        long judged = 0;
        long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
        while (judged < batch.size() || !caughtUp()) {
            var records = outputs.poll(Duration.ofMillis(50));
            if (!records.isEmpty()) {
                deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String topic = r.topic();
                if (topic.equals(t.scores())) {
                    out.scored(SeismoSerdes.SCORED.decode(r.value()));
                    judged++;
                } else if (topic.equals(t.deadLetter())) {
                    out.deadLetter(SeismoSerdes.DEAD_LETTER.decode(r.value()));
                    judged++;
                } else if (topic.equals(t.training())) {
                    out.normal(SeismoSerdes.READING.decode(r.value()));
                } else if (topic.equals(t.anomalies())) {
                    out.event(SeismoSerdes.ANOMALY.decode(r.value()));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the detector judged " + judged + " of a batch of " + batch.size()
                        + " readings and then nothing for " + PROGRESS_TIMEOUT.toSeconds() + " s");
            }
        }
    }

    @Override
    public void publish(ModelRelease release) {
        try {
            producer.send(new ProducerRecord<>(config.topics().models(), config.model().name(), ModelReleases.encode(release)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing release " + release.getVersion() + " failed: " + e, e);
        }
        app.awaitReleaseInForce(config.model().name(), release.getVersion(), PROGRESS_TIMEOUT);
    }

    private boolean caughtUp() {
        // Under read_committed the end offset is the last stable offset: everything the detector has committed.
        Map<TopicPartition, Long> ends = outputs.endOffsets(outputs.assignment());
        return ends.entrySet().stream().allMatch(e -> outputs.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        try (app; producer; outputs) {
            // closes all three, the detector first
        }
    }

    private static Map<String, Object> producerConfig(SeismoConfig config) {
        Map<String, Object> p = ClientConfigs.orderedProducer(config.clientConfig(), 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.topics().modelsMaxMessageBytes());
        return p;
    }

    private static KafkaConsumer<byte[], byte[]> outputConsumer(SeismoConfig config) {
        Map<String, Object> p = new HashMap<>(config.clientConfig());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        SeismoConfig.Topics t = config.topics();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(t.scores(), t.deadLetter(), t.training(), t.anomalies())) {
            for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return c;
    }
}
