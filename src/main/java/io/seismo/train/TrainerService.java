package io.seismo.train;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.seismo.config.SeismoConfig;
import io.seismo.nn.Network;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer: consumes the side topic of normal readings in its own consumer group, keeps a bounded window of recent
 * values per series, trains the first model once it has enough data and retrains periodically (warm-starting from the
 * model in force), and publishes versioned releases on the compacted models topic.
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    private static final BinaryMessageDecoder<Reading> READINGS = Reading.getDecoder();
    private static final BinaryMessageDecoder<ModelRelease> RELEASES = ModelRelease.getDecoder();

    private final SeismoConfig config;
    private final TrainerListener listener;
    private final Deserializer<Reading> readings;
    private final Retrainer retrainer;
    private final SampleBuffer buffer;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong latestVersion = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong trainings = new AtomicLong();
    private final AtomicLong releases = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final boolean eventClock;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private ModelRelease lastPublished;
    private String lastRefusal;
    private Thread thread;

    public TrainerService(SeismoConfig config, TrainerListener listener) {
        this(config, listener, null);
    }

    /**
     * A trainer that reads history (the readings topic, for a cold start) with {@code readings}: the deserializer of
     * {@code serde.format} (the caller closes it after the trainer). Null reads Avro single-object encoding.
     */
    public TrainerService(SeismoConfig config, TrainerListener listener, Deserializer<Reading> readings) {
        this.readings = readings;
        this.config = config;
        this.listener = listener;
        this.retrainer = new Retrainer(config);
        this.buffer = retrainer.buffer();
        this.eventClock = retrainer.eventClock();
    }

    /** Starts the trainer's thread. */
    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("trainer already started");
        }
        thread = new Thread(this::run, "seismo-trainer");
        thread.setDaemon(true);
        thread.start();
    }

    /** What one training run on history came to: the release published, or why none was. */
    public record HistoryOutcome(long readingsRead, int seriesReady, ModelRelease published, String refusal) {
    }

    /**
     * One training run, now, on a window of history read from {@code topic} (by timestamp, [from, to), series matching
     * {@code series}), warm-started from and gated against the release in force, published like any other. For
     * operators retraining from history; not for a service that is {@link #start() started}.
     */
    public synchronized HistoryOutcome trainFromHistory(String topic, long fromMillis, long toMillis,
                                                        java.util.function.Predicate<String> series) {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("trainer already running");
        }
        try {
            loadLatestRelease(false);
            long read = readHistory(topic, fromMillis, toMillis, series, false);
            int ready = buffer.readySeries(config.train().minSamplesPerSeries());
            if (ready == 0) {
                return new HistoryOutcome(read, 0, null, "no series has the " + config.train().minSamplesPerSeries()
                        + " readings in the window that train.min.samples.per.series asks for");
            }
            try (KafkaProducer<String, byte[]> producer = newProducer()) {
                trainAndPublish(producer);
            }
            return new HistoryOutcome(read, ready, lastPublished, lastRefusal);
        } finally {
            running.set(false);
        }
    }

    /** What the trainer has done since it started. */
    public record Stats(long trainings, long releases, long rejections, long skippedRecords, long consumedRecords) {
    }

    public Stats stats() {
        return new Stats(trainings.get(), releases.get(), rejections.get(), skipped.get(), consumed.get());
    }

    /** Version of the latest release of the configured model known to the trainer; 0 before the first. */
    public long latestVersion() {
        return latestVersion.get();
    }

    private void run() {
        try {
            loadLatestRelease(true);
            if (latestVersion.get() == 0 && config.train().coldStartHistoryMs() > 0) {
                readHistory(config.topics().readings(), System.currentTimeMillis() - config.train().coldStartHistoryMs(), Long.MAX_VALUE,
                        id -> true, true);
            }
            consume();
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("trainer woken up unexpectedly", e);
            }
        } catch (AuthenticationException | AuthorizationException e) {
            // Retrying would be refused the same way; the message says what is missing, a stack trace would not.
            LOG.error("trainer stopped: {}", e.getMessage());
            listener.failed(e);
        } catch (RuntimeException e) {
            LOG.error("trainer stopped: {}", e.toString(), e);
            listener.failed(e);
        } finally {
            stopped.countDown();
        }
    }

    private void consume() {
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.train().groupId());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props);
             KafkaProducer<String, byte[]> producer = newProducer()) {
            consumer = c;
            if (!running.get()) {
                return;
            }
            c.subscribe(List.of(config.topics().training()));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    append(r);
                    // On the event clock the decision follows every reading, so it depends on the data alone.
                    if (eventClock && retrainer.due()) {
                        trainAndPublish(producer);
                    }
                }
                consumed.addAndGet(records.count());
                if (!eventClock && retrainer.due()) {
                    trainAndPublish(producer);
                }
            }
        }
    }

    private void append(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            skipped.incrementAndGet();
            return;
        }
        try {
            Reading reading = READINGS.decode(record.value());
            buffer.append(reading.getSeries(), reading.getTimestamp().toEpochMilli(), reading.getValue());
        } catch (java.io.IOException | RuntimeException e) {
            // The detector only forwards readings it decoded, so this means a foreign producer wrote here.
            long n = skipped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("skipped {} undecodable records on {}", n, config.topics().training());
            }
        }
    }

    private void trainAndPublish(KafkaProducer<String, byte[]> producer) {
        // Someone may have published since (a rollback, another trainer): start from, and compare with, what is in force.
        loadLatestRelease(false);
        trainings.incrementAndGet();
        Retrainer.Outcome outcome = retrainer.train((epoch, max, train, validation) -> {
            LOG.debug("epoch {}/{}: train {} validation {}", epoch, max, train, validation);
            listener.epochEnded(epoch, max);
        }, (series, samples) -> {
            listener.trainingStarted(series, samples);
            LOG.info("training on {} series, {} values", series, samples);
        });
        ModelTrainer.Candidate candidate = outcome.candidate();
        lastRefusal = outcome.refusal();
        lastPublished = null;
        if (!outcome.accepted()) {
            rejections.incrementAndGet();
            String reason = "candidate not published: " + outcome.refusal();
            LOG.info(reason);
            listener.rejected(reason);
            return;
        }
        ModelRelease release = outcome.release();
        try {
            producer.send(new ProducerRecord<>(config.topics().models(), config.model().name(),
                    ModelReleases.encode(release))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            String reason = "publishing release " + release.getVersion() + " failed: " + e;
            LOG.error(reason);
            listener.rejected(reason);
            return;
        }
        retrainer.published(outcome);
        latestVersion.set(release.getVersion());
        lastPublished = release;
        releases.incrementAndGet();
        LOG.info("published release {} of model '{}' (held-out error {} vs last-value {}, previous model {})", release.getVersion(),
                config.model().name(), candidate.heldOutLoss(), candidate.naiveHeldOutLoss(), candidate.currentHeldOutLoss());
        listener.released(release);
    }

    private KafkaProducer<String, byte[]> newProducer() {
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.topics().modelsMaxMessageBytes());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    /**
     * Cold start: reads the readings topic from {@code fromMillis} (by timestamp) to its current end into the buffer,
     * so the first model can be trained on history at once. Readings the detector would dead-letter are skipped.
     */
    private long readHistory(String topic, long fromMillis, long toMillis, java.util.function.Predicate<String> series,
                             boolean wakeable) {
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long read = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            if (wakeable) {
                consumer = c;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + topic + "' does not exist");
            }
            for (PartitionInfo p : infos) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, fromMillis));
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            List<TopicPartition> active = new ArrayList<>();
            Map<TopicPartition, Long> starts = new HashMap<>();
            c.offsetsForTimes(query, Duration.ofSeconds(30)).forEach((tp, found) -> {
                if (found != null && found.offset() < end.get(tp)) {
                    active.add(tp);
                    starts.put(tp, found.offset());
                }
            });
            c.assign(active);
            starts.forEach(c::seek);
            while (running.get() && active.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && r.timestamp() >= fromMillis
                            && r.timestamp() < toMillis && r.key() != null && series.test(r.key())) {
                        appendIfValid(r);
                        read++;
                    }
                }
            }
        }
        LOG.info("read {} readings of history from {}; {} series ready to train on", read,
                Instant.ofEpochMilli(fromMillis), buffer.readySeries(config.train().minSamplesPerSeries()));
        return read;
    }

    /** A reading of history, in the configured format (as the detector decodes it, so both refuse the same records). */
    private Reading decodeReading(ConsumerRecord<String, byte[]> record) throws java.io.IOException {
        return readings == null ? READINGS.decode(record.value()) : readings.deserialize(record.topic(), record.value());
    }

    /** Appends a raw reading unless it is one the detector would refuse (undecodable, non-finite, keyed by another series). */
    private void appendIfValid(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            Reading reading = decodeReading(record);
            if (Double.isFinite(reading.getValue()) && reading.getSeries().equals(record.key())) {
                buffer.append(reading.getSeries(), reading.getTimestamp().toEpochMilli(), reading.getValue());
            }
        } catch (java.io.IOException | RuntimeException e) {
            skipped.incrementAndGet();
        }
    }

    /** Reads the models topic to the end to find the latest release of the configured model, to continue its versions. */
    private void loadLatestRelease(boolean wakeable) {
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.topics().modelsMaxMessageBytes());
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, config.topics().modelsMaxMessageBytes());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        ModelRelease latest = null;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            if (wakeable) {
                consumer = c;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(config.topics().models(), Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            while (running.get() && partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (!config.model().name().equals(r.key()) || r.value() == null) {
                        continue;
                    }
                    try {
                        ModelRelease release = ModelReleases.decodeVerified(r.value());
                        if (latest == null || release.getVersion() > latest.getVersion()) {
                            latest = release;
                        }
                    } catch (RuntimeException e) {
                        listener.releaseRefused(io.seismo.release.ReleaseRejectedException.reasonOf(e));
                        LOG.warn("skipping a record at {}-{}@{} that is not a usable release: {}", r.topic(), r.partition(), r.offset(),
                                e.getMessage());
                    }
                }
            }
        }
        if (latest != null && (latest.getVersion() != latestVersion.get() || retrainer.current() == null)) {
            latestVersion.set(latest.getVersion());
            Network network;
            try {
                network = ModelReleases.toNetwork(latest, ModelTrainer.shapeOf(config.model()), ModelReleases.inputsOf(config.model()));
                LOG.info("continuing from release {} of model '{}'", latest.getVersion(), config.model().name());
            } catch (RuntimeException e) {
                network = null;
                listener.releaseRefused(io.seismo.release.ReleaseRejectedException.reasonOf(e));
                LOG.warn("not warm-starting from release {}: {}", latest.getVersion(), e.getMessage());
            }
            retrainer.continueFrom(latest.getVersion(), network);
        }
    }

    /** Stops the trainer and waits for its thread (at most 30 s). */
    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("trainer did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
