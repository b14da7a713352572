package io.seismo.score;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.nn.Network;
import io.seismo.release.ModelReleases;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import io.seismo.stream.DetectorApp;
import io.seismo.train.ModelTrainer;
import io.seismo.train.Retrainer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs readings through the production topology in event time, with retraining, so that the same input gives the same
 * releases and the same scores on every run.
 *
 * <p>The run owns its namespace: its own application id, state directory and topics (all named with one prefix), so
 * production state and alerts are untouched. Readings are sent in event-time order, in batches of a fixed number. After
 * each batch the run waits until the detector has judged every reading of it (each one is either scored or
 * dead-lettered), hands the readings the detector judged normal to the trainer (sorted, so their order does not depend
 * on how partitions interleave), and when a retraining is due on the event clock, trains, publishes the release and
 * waits until the detector's global model store holds it before sending the next batch. So a release is in force from
 * the same reading on in every run: the barrier replaces the wall clock.
 */
public final class ScoringRun {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringRun.class);
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(120);

    /** One series to score: its id and its readings, in any order. */
    public record SeriesInput(String series, long[] timestamps, double[] values) {
        public SeriesInput {
            if (timestamps.length != values.length) {
                throw new IllegalArgumentException(timestamps.length + " timestamps but " + values.length + " values");
            }
        }
    }

    /**
     * How to run.
     *
     * @param batch          readings sent between two barriers (a release is in force at most this many readings late)
     * @param retrain        whether the trainer retrains on event time during the run
     * @param initialRelease a release in force from the first reading (e.g. production's), or null to start from the baseline
     */
    public record Options(int batch, boolean retrain, ModelRelease initialRelease) {
        public Options {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be at least 1, got " + batch);
            }
        }
    }

    /** Hears how far the run is. */
    public interface Progress {
        void advanced(long judged, long total);

        default void released(ModelRelease release) {
        }

        default void refused(String reason) {
        }

        Progress NONE = (judged, total) -> { };
    }

    /** What a run produced: per series, the scored readings in event-time order; the events, releases and dead letters. */
    public record Result(Map<String, List<ScoredReading>> scores, List<AnomalyEvent> events, List<ModelRelease> releases,
                         long readings, long deadLetters, int refusals, Duration elapsed) {
    }

    private ScoringRun() {
    }

    /**
     * The configuration of a run: the base configuration with its own application id, state directory and topics
     * (prefixed {@code prefix}), a scores topic, the event clock and a short commit interval.
     */
    public static SeismoConfig isolated(SeismoConfig base, String prefix, Path stateDir, int partitions) {
        Map<String, String> c = new HashMap<>();
        c.put("application.id", prefix + "app");
        c.put("state.dir", stateDir.toString());
        c.put("topic.readings", prefix + "readings");
        c.put("topic.anomalies", prefix + "anomalies");
        c.put("topic.training", prefix + "training");
        c.put("topic.models", prefix + "models");
        c.put("topic.deadletter", prefix + "deadletter");
        c.put("topic.feedback", prefix + "feedback");
        c.put("topic.scores", prefix + "scores");
        c.put("topic.partitions", Integer.toString(partitions));
        c.put("train.group.id", prefix + "trainer");
        c.put("train.clock", "event");
        c.put("train.cold.start.history.ms", "0");
        c.put("commit.interval.ms", "50");
        // The run's topics are its own, written and read only here: no registry needed whatever serde.format says.
        c.put("serde.format", "single-object");
        return base.with(c);
    }

    /**
     * Scores the inputs with a configuration made by {@link #isolated}, whose topics exist and are empty.
     */
    public static Result run(SeismoConfig config, List<SeriesInput> inputs, Options options, Progress progress) {
        long began = System.nanoTime();
        List<Reading> readings = inEventTimeOrder(inputs);
        Retrainer retrainer = new Retrainer(config);
        List<ModelRelease> releases = new ArrayList<>();
        Map<String, List<ScoredReading>> scores = new LinkedHashMap<>();
        inputs.forEach(in -> scores.put(in.series(), new ArrayList<>()));
        List<AnomalyEvent> events = new ArrayList<>();
        int refusals = 0;
        long deadLetters = 0;
        try (DetectorApp app = new DetectorApp(config);
             KafkaProducer<String, byte[]> producer = producer(config);
             KafkaConsumer<byte[], byte[]> outputs = outputConsumer(config)) {
            app.start();
            app.awaitRunning(PROGRESS_TIMEOUT);
            if (options.initialRelease() != null) {
                ModelRelease first = options.initialRelease();
                publish(producer, config, first);
                awaitInForce(app, config, first.getVersion());
                retrainer.continueFrom(first.getVersion(), networkOf(config, first));
                releases.add(first);
            }
            long sent = 0;
            long judged = 0;
            for (int from = 0; from < readings.size(); from += options.batch()) {
                int to = Math.min(readings.size(), from + options.batch());
                for (int i = from; i < to; i++) {
                    Reading r = readings.get(i);
                    producer.send(new ProducerRecord<>(config.topics().readings(), null, r.getTimestamp().toEpochMilli(), r.getSeries(),
                            io.seismo.stream.SeismoSerdes.READING.encode(r)));
                }
                producer.flush();
                sent = to;
                List<Reading> normal = new ArrayList<>();
                long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
                while (judged < sent || !caughtUp(outputs)) {
                    var records = outputs.poll(Duration.ofMillis(50));
                    if (!records.isEmpty()) {
                        deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        String topic = r.topic();
                        if (topic.equals(config.topics().scores())) {
                            ScoredReading s = io.seismo.stream.SeismoSerdes.SCORED.decode(r.value());
                            scores.computeIfAbsent(s.getSeries(), k -> new ArrayList<>()).add(s);
                            judged++;
                        } else if (topic.equals(config.topics().deadLetter())) {
                            deadLetters++;
                            judged++;
                        } else if (topic.equals(config.topics().training())) {
                            normal.add(io.seismo.stream.SeismoSerdes.READING.decode(r.value()));
                        } else if (topic.equals(config.topics().anomalies())) {
                            events.add(io.seismo.stream.SeismoSerdes.ANOMALY.decode(r.value()));
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the detector judged " + judged + " of " + sent + " readings and then nothing for "
                                + PROGRESS_TIMEOUT.toSeconds() + " s");
                    }
                }
                normal.sort(Comparator.comparing((Reading r) -> r.getTimestamp()).thenComparing(Reading::getSeries));
                for (Reading r : normal) {
                    retrainer.append(r.getSeries(), r.getTimestamp().toEpochMilli(), r.getValue());
                }
                progress.advanced(judged, readings.size());
                if (options.retrain() && to < readings.size() && retrainer.due()) {
                    Retrainer.Outcome outcome = retrainer.train((epoch, max, train, validation) -> { }, (series, values) -> { });
                    if (outcome.accepted()) {
                        publish(producer, config, outcome.release());
                        awaitInForce(app, config, outcome.release().getVersion());
                        retrainer.published(outcome);
                        releases.add(outcome.release());
                        progress.released(outcome.release());
                    } else {
                        refusals++;
                        progress.refused(outcome.refusal());
                        LOG.info("candidate not published: {}", outcome.refusal());
                    }
                }
            }
        }
        return new Result(scores, events, releases, readings.size(), deadLetters, refusals,
                Duration.ofNanos(System.nanoTime() - began));
    }

    /** A fresh state directory for one run. */
    public static Path stateDirectory() {
        try {
            return Files.createTempDirectory("seismo-score-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every reading on a topic (read_committed, to its current end), grouped by series in id order: the input of
     * a backfill once its time window has been copied there. Records that are not Avro Readings are skipped.
     */
    public static List<SeriesInput> readSeries(SeismoConfig config, String topic) {
        Map<String, List<Reading>> bySeries = new LinkedHashMap<>();
        Map<String, Object> p = new HashMap<>(config.clientConfig());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                var records = c.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        Reading reading = io.seismo.stream.SeismoSerdes.READING.decode(r.value());
                        bySeries.computeIfAbsent(reading.getSeries(), k -> new ArrayList<>()).add(reading);
                    } catch (RuntimeException e) {
                        LOG.debug("skipping a record that is not a Reading at {}-{}@{}", r.topic(), r.partition(), r.offset());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " made no progress for " + PROGRESS_TIMEOUT.toSeconds() + " s");
                }
            }
        }
        List<SeriesInput> out = new ArrayList<>();
        new java.util.TreeMap<>(bySeries).forEach((series, list) -> {
            list.sort(Comparator.comparing(Reading::getTimestamp));
            out.add(new SeriesInput(series, list.stream().mapToLong(r -> r.getTimestamp().toEpochMilli()).toArray(),
                    list.stream().mapToDouble(Reading::getValue).toArray()));
        });
        return out;
    }

    private static List<Reading> inEventTimeOrder(List<SeriesInput> inputs) {
        List<Reading> all = new ArrayList<>();
        for (SeriesInput in : inputs) {
            for (int i = 0; i < in.values().length; i++) {
                all.add(new Reading(in.series(), Instant.ofEpochMilli(in.timestamps()[i]), in.values()[i]));
            }
        }
        // Ties between series go by series id, so the order does not depend on the inputs' order. The sort is stable: a
        // series' readings with equal timestamps keep their input order (the detector dead-letters the repeats).
        all.sort(Comparator.comparing(Reading::getTimestamp).thenComparing(Reading::getSeries));
        return all;
    }

    private static Network networkOf(SeismoConfig config, ModelRelease release) {
        try {
            return ModelReleases.toNetwork(release, ModelTrainer.shapeOf(config.model()), ModelReleases.inputsOf(config.model()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("release " + release.getVersion() + " does not fit the configured model: " + e.getMessage(), e);
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, SeismoConfig config, ModelRelease release) {
        try {
            producer.send(new ProducerRecord<>(config.topics().models(), config.model().name(), ModelReleases.encode(release)))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing release " + release.getVersion() + " failed: " + e, e);
        }
    }

    private static void awaitInForce(DetectorApp app, SeismoConfig config, long version) {
        long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
        while (app.releaseInForce(config.model().name()) < version) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("release " + version + " did not reach the detector within " + PROGRESS_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer) {
        // Under read_committed the end offset is the last stable offset: everything the detector has committed.
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static KafkaProducer<String, byte[]> producer(SeismoConfig config) {
        Map<String, Object> p = io.seismo.kafka.ClientConfigs.orderedProducer(config.clientConfig(), 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.topics().modelsMaxMessageBytes());
        return new KafkaProducer<>(p);
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
