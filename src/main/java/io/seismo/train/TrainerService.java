package io.seismo.train;

import java.nio.charset.StandardCharsets;
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
import io.seismo.release.ReleaseRejectedException;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer: consumes the side topic of normal readings in its own consumer group, keeps a bounded window of recent
 * values per series, trains the first model once it has enough data and retrains periodically (warm-starting from the
 * model in force), and publishes versioned releases on the compacted models topic.
 *
 * <p>Publishing is transactional ({@link ReleasePublisher}, transactional id {@code <train.group.id>-publisher}): a release
 * takes the version after the latest on the topic as read inside its transaction, and commits together with the
 * training topic's offsets. The offsets committed are not the position read to but the oldest offset whose value the
 * buffer still holds ({@link SampleBuffer#oldestOffsets}), so a trainer killed at any point re-reads exactly what it held
 * and loses nothing, and re-reads at most {@code train.history} values per series. Without a release (a candidate refused
 * by the gate, or none due) the same offsets are committed in a transaction of their own every
 * {@link #CHECKPOINT_INTERVAL_MS} and after every refusal, so re-reading stays bounded however long no release is published.
 *
 * <p>One trainer per group publishes: the consumer joins with the static instance id {@code <train.group.id>-trainer}, so a
 * second trainer of the group takes over from the first, which stops with one log line
 * ({@link TrainerListener#takenOver}). A trainer whose producer was fenced by a rollback re-initialises it and goes on.
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    private static final BinaryMessageDecoder<Reading> READINGS = Reading.getDecoder();
    private static final BinaryMessageDecoder<ModelRelease> RELEASES = ModelRelease.getDecoder();
    /** Longest a trainer goes without committing the offsets it may forget (a config key would be train.checkpoint.interval.ms). */
    static final long CHECKPOINT_INTERVAL_MS = 60_000;
    /** Appended to {@code train.group.id} to make the trainer's static group instance id. */
    public static final String INSTANCE_ID_SUFFIX = "-trainer";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

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
    private volatile KafkaConsumer<?, ?> consumer;
    private volatile Runnable beforeCommit;
    private ReleasePublisher publisher;
    /** Per partition of the training topic: the next offset after the last record read, and the offset last committed. */
    private final Map<TopicPartition, Long> readUpTo = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private long lastCheckpointNanos = System.nanoTime();
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
            try {
                trainAndPublish(null);
            } finally {
                closePublisher();
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

    /**
     * Fault injection for tests: runs inside each publishing transaction after the release and offsets are sent and
     * before the commit. A hook that throws stops the trainer with nothing committed, as a kill at that point would.
     */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
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
        } catch (FencedInstanceIdException | UnreleasedInstanceIdException | ReleasePublisher.TakenOverException e) {
            String reason = "another trainer of group '" + config.train().groupId() + "' took over (group instance id '"
                    + instanceId() + "'); this one stopped, nothing it had not committed is lost";
            LOG.warn("trainer stopped: {}", reason);
            listener.takenOver(reason);
        } catch (AuthenticationException | AuthorizationException e) {
            // Retrying would be refused the same way; the message says what is missing, a stack trace would not.
            LOG.error("trainer stopped: {}", e.getMessage());
            listener.failed(e);
        } catch (RuntimeException e) {
            LOG.error("trainer stopped: {}", e.toString(), e);
            listener.failed(e);
        } finally {
            closePublisher();
            stopped.countDown();
        }
    }

    private String instanceId() {
        return config.train().groupId() + INSTANCE_ID_SUFFIX;
    }

    private void consume() {
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.train().groupId());
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
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
                        trainAndPublish(c);
                    }
                }
                consumed.addAndGet(records.count());
                if (!eventClock && retrainer.due()) {
                    trainAndPublish(c);
                } else if (System.nanoTime() - lastCheckpointNanos > TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_INTERVAL_MS)) {
                    checkpoint(c);
                }
            }
        }
    }

    /**
     * What to commit for the training topic: per partition read from, the oldest offset whose value the buffer still holds
     * (the position read to when it holds none), where that differs from what was committed.
     */
    private Map<TopicPartition, OffsetAndMetadata> offsetsToCommit(KafkaConsumer<String, byte[]> c) {
        Map<Integer, Long> oldest = buffer.oldestOffsets();
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : c.assignment()) {
            Long upTo = readUpTo.get(tp);
            if (upTo == null) {
                continue;
            }
            long offset = Math.min(upTo, oldest.getOrDefault(tp.partition(), upTo));
            if (!Long.valueOf(offset).equals(committed.get(tp))) {
                out.put(tp, new OffsetAndMetadata(offset));
            }
        }
        return out;
    }

    /** Commits the offsets the trainer may forget, in a transaction without a release. */
    private void checkpoint(KafkaConsumer<String, byte[]> c) {
        lastCheckpointNanos = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit(c);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            publisher().commitOffsets(offsets, c.groupMetadata());
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        } catch (ReleasePublisher.FencedException e) {
            LOG.warn("{}; re-initialising it (offsets stay uncommitted until the next transaction)", e.getMessage());
            closePublisher();
        } catch (IllegalStateException e) {
            LOG.warn("committing the training topic's offsets failed: {}", e.getMessage());
        }
    }

    private ReleasePublisher publisher() {
        if (publisher == null || publisher.closed()) {
            publisher = new ReleasePublisher(config, PUBLISH_TIMEOUT);
            publisher.beforeCommit(() -> {
                Runnable hook = beforeCommit;
                if (hook != null) {
                    hook.run();
                }
            });
        }
        return publisher;
    }

    private void closePublisher() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    private void append(ConsumerRecord<String, byte[]> record) {
        readUpTo.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        if (record.value() == null) {
            skipped.incrementAndGet();
            return;
        }
        try {
            // The detector forwards normal readings as they came, so they are in the readings topic's format.
            Reading reading = decodeReading(record);
            buffer.append(reading.getSeries(), record.partition(), record.offset(), reading.getTimestamp().toEpochMilli(), reading.getValue());
        } catch (java.io.IOException | RuntimeException e) {
            // The detector only forwards readings it decoded, so this means a foreign producer wrote here.
            long n = skipped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("skipped {} undecodable records on {}", n, config.topics().training());
            }
        }
    }

    /** Trains a candidate and, if the gate passes it, publishes it with {@code c}'s offsets (none when null) in one transaction. */
    private void trainAndPublish(KafkaConsumer<String, byte[]> c) {
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
            // Nothing to publish, but the offsets of what the buffer no longer holds can be committed now.
            if (c != null) {
                checkpoint(c);
            }
            return;
        }
        ModelRelease trained = outcome.release();
        Map<TopicPartition, OffsetAndMetadata> offsets = c == null ? Map.of() : offsetsToCommit(c);
        ReleasePublisher.Committed done;
        try {
            // The version is decided on what the topic holds inside the transaction: the candidate is published only if
            // the release it was trained from is still the latest, so it takes latest + 1 and never an existing version.
            done = publisher().publish(config.model().name(), listing -> {
                long latest = listing.latest().map(ModelRelease::getVersion).orElse(0L);
                return latest == trained.getParentVersion() ? trained : null;
            }, offsets, c == null ? null : c.groupMetadata());
        } catch (ReleasePublisher.FencedException e) {
            String reason = "release " + trained.getVersion() + " not published: " + e.getMessage() + "; re-initialising";
            LOG.warn(reason);
            closePublisher();
            listener.rejected(reason);
            return;
        } catch (IllegalStateException e) {
            String reason = "publishing release " + trained.getVersion() + " failed: " + e.getMessage();
            LOG.error(reason);
            listener.rejected(reason);
            return;
        }
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        lastCheckpointNanos = System.nanoTime();
        if (done.release() == null) {
            long latest = done.listing().latest().map(ModelRelease::getVersion).orElse(0L);
            String reason = "candidate not published: release " + latest + " of model '" + config.model().name()
                    + "' was published after it was trained from release " + trained.getParentVersion()
                    + "; the next training continues from it";
            lastRefusal = reason;
            rejections.incrementAndGet();
            LOG.info(reason);
            listener.rejected(reason);
            return;
        }
        ModelRelease release = done.release();
        retrainer.published(outcome);
        latestVersion.set(release.getVersion());
        lastPublished = release;
        releases.incrementAndGet();
        LOG.info("published release {} of model '{}' (held-out error {} vs last-value {}, previous model {})", release.getVersion(),
                config.model().name(), candidate.heldOutLoss(), candidate.naiveHeldOutLoss(), candidate.currentHeldOutLoss());
        listener.released(release);
    }

    /**
     * Cold start: reads the readings topic from {@code fromMillis} (by timestamp) to its current end into the buffer,
     * so the first model can be trained on history at once. Readings the detector would dead-letter are skipped
     * ({@link HistoryReader}).
     */
    private long readHistory(String topic, long fromMillis, long toMillis, java.util.function.Predicate<String> series,
                             boolean wakeable) {
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Keys as bytes: the detector judges them as bytes (their length, their match with the series).
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        HistoryReader history = new HistoryReader(config.input(), readings, topic, buffer, skipped);
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
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
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    // A keyless record belongs to no series: it is judged (and skipped) whatever series are asked for.
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && r.timestamp() >= fromMillis
                            && r.timestamp() < toMillis && (r.key() == null || series.test(new String(r.key(), StandardCharsets.UTF_8)))) {
                        history.accept(r, System.currentTimeMillis());
                        read++;
                    }
                }
            }
        }
        LOG.info("read {} readings of history from {}, {}; {} series ready to train on", read, Instant.ofEpochMilli(fromMillis),
                history.skipped() == 0 ? "none refused" : "skipped " + history.skipped() + " the detector refuses " + history.refused()
                        + (history.failed() > 0 ? " or failed to judge (" + history.failed() + ")" : ""),
                buffer.readySeries(config.train().minSamplesPerSeries()));
        return read;
    }

    /** A reading of the training topic, in the configured format (the detector forwards readings as they came). */
    private Reading decodeReading(ConsumerRecord<String, byte[]> record) throws java.io.IOException {
        return readings == null ? READINGS.decode(record.value()) : readings.deserialize(record.topic(), record.value());
    }

    /** Reads the models topic to the end to find the latest release of the configured model, to continue its versions. */
    private void loadLatestRelease(boolean wakeable) {
        ModelRelease latest = null;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(ModelCatalog.modelsConsumerConfig(config))) {
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
                        listener.releaseRefused(ReleaseRejectedException.reasonOf(e));
                        LOG.warn("skipping a record at {}-{}@{} that is not a usable release: {}", r.topic(), r.partition(), r.offset(),
                                e.getMessage());
                    }
                }
            }
        }
        // Versions only rise (a rollback republishes an old model under a new version), so a latest below the one known to
        // be in force is this trainer's own last release not yet visible to read_committed readers (the commit markers
        // follow the commit): keep the one in force, or two runs over the same data would warm-start differently.
        if (latest != null && latest.getVersion() < latestVersion.get()) {
            LOG.debug("the models topic shows release {} while {} is in force: its commit is not visible yet", latest.getVersion(),
                    latestVersion.get());
            return;
        }
        if (latest != null && (latest.getVersion() != latestVersion.get() || retrainer.current() == null)) {
            latestVersion.set(latest.getVersion());
            Network network;
            try {
                network = ModelReleases.toNetwork(latest, ModelTrainer.shapeOf(config.model()), ModelReleases.inputsOf(config.model()));
                LOG.info("continuing from release {} of model '{}'", latest.getVersion(), config.model().name());
            } catch (RuntimeException e) {
                network = null;
                listener.releaseRefused(ReleaseRejectedException.reasonOf(e));
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
        KafkaConsumer<?, ?> c = consumer;
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
