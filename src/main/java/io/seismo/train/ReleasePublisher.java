package io.seismo.train;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.seismo.config.SeismoConfig;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way releases reach the models topic: a transactional producer whose id is derived from {@code train.group.id}
 * ({@link #transactionalId}), shared by the trainers of that group and by {@code seismo models rollback}. Each
 * {@link #publish} is one transaction that reads the models topic to its end (read_committed), lets the caller decide the
 * release from what it found (version = latest + 1), and commits that release together with the training topic's
 * offsets. Whoever initialises the id last fences the others, so two publishers never commit on the same view of the
 * topic: a version is never published twice.
 *
 * <p>Not thread-safe; one per thread.
 */
public final class ReleasePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReleasePublisher.class);

    /** Appended to {@code train.group.id} to make the transactional id. */
    public static final String TRANSACTIONAL_ID_SUFFIX = "-publisher";

    /** Another producer initialised the same transactional id: this one can never commit again and is closed. */
    public static final class FencedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FencedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The consumer whose offsets were being committed is no longer the group's member: another trainer took its place. */
    public static final class TakenOverException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TakenOverException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What one transaction committed: the listing it decided on, the release (null if none) and its offset (-1 if none). */
    public record Committed(ModelCatalog.Listing listing, ModelRelease release, long offset) {
    }

    private final SeismoConfig config;
    private final Duration timeout;
    private final ModelCatalog catalog;
    private final String transactionalId;
    private final KafkaProducer<String, byte[]> producer;
    private volatile Runnable beforeCommit = () -> { };
    private boolean closed;

    /** The transactional id of the trainers of {@code config}'s group and of rollbacks of its model: {@code <train.group.id>-publisher}. */
    public static String transactionalId(SeismoConfig config) {
        return config.train().groupId() + TRANSACTIONAL_ID_SUFFIX;
    }

    /**
     * Creates the producer and initialises the transactional id: any other producer holding it is fenced and its open
     * transaction aborted.
     *
     * @param timeout how long reading the models topic, or committing, may take
     */
    public ReleasePublisher(SeismoConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
        this.catalog = new ModelCatalog(config, timeout);
        this.transactionalId = transactionalId(config);
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.topics().modelsMaxMessageBytes());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(props);
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        this.producer = p;
    }

    public String transactionalId() {
        return transactionalId;
    }

    /**
     * Fault injection for tests: runs after the release and offsets are sent and before the commit. A hook that throws
     * leaves the transaction uncommitted, as a process killed at that point would.
     */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook == null ? () -> { } : hook;
    }

    /**
     * One transaction: reads the models topic to its end (read_committed), asks {@code decide} for the release to publish
     * given the releases of {@code modelName} found there (null: publish none), sends it and {@code offsets} (with the
     * consumer's {@code group} metadata; none when empty) and commits both.
     *
     * @throws FencedException           if another publisher initialised the same transactional id; this one is closed
     * @throws TakenOverException        if the consumer of {@code group} was replaced by another member with its instance id
     * @throws IllegalArgumentException  as {@code decide} throws it (the transaction is aborted)
     * @throws IllegalStateException     if the transaction failed otherwise (it is aborted; the caller may try again)
     */
    public Committed publish(String modelName, Function<ModelCatalog.Listing, ModelRelease> decide,
                             Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        return transaction(() -> catalog.read(modelName), decide, offsets, group);
    }

    /** One transaction committing only {@code offsets}, without reading the models topic or publishing anything. */
    public void commitOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        if (!offsets.isEmpty()) {
            transaction(() -> null, listing -> null, offsets, group);
        }
    }

    private Committed transaction(java.util.function.Supplier<ModelCatalog.Listing> read,
                                  Function<ModelCatalog.Listing, ModelRelease> decide,
                                  Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        if (closed) {
            throw new IllegalStateException("publisher " + transactionalId + " is closed");
        }
        ModelCatalog.Listing listing;
        ModelRelease release;
        Future<RecordMetadata> sent = null;
        try {
            producer.beginTransaction();
            // Read after the transaction began: a publisher that initialised the id since has fenced this one, so a commit
            // below can only succeed if nobody else published in between.
            listing = read.get();
            release = listing == null ? null : decide.apply(listing);
            if (release != null) {
                sent = producer.send(new ProducerRecord<>(config.topics().models(), release.getModelName(), ModelReleases.encode(release)));
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
        } catch (RuntimeException e) {
            throw failed(e);
        }
        beforeCommit.run();
        try {
            producer.commitTransaction();
            long offset = sent == null ? -1 : sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
            return new Committed(listing, release, offset);
        } catch (RuntimeException e) {
            throw failed(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // Committed, so the send succeeded; only its offset is unknown.
            return new Committed(listing, release, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Committed(listing, release, -1);
        }
    }

    /** Aborts what can be aborted and turns {@code e} into what the caller should do about it. */
    private RuntimeException failed(RuntimeException e) {
        if (isCausedBy(e, ProducerFencedException.class) || isCausedBy(e, InvalidProducerEpochException.class)) {
            close();
            return new FencedException("transactional id '" + transactionalId + "' was initialised by another publisher (a trainer of"
                    + " group '" + config.train().groupId() + "' or 'seismo models rollback')", e);
        }
        if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
            close();
            return e;
        }
        abortQuietly();
        if (isCausedBy(e, FencedInstanceIdException.class) || isCausedBy(e, UnreleasedInstanceIdException.class)) {
            return new TakenOverException("another trainer of group '" + config.train().groupId() + "' took over", e);
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e;
        }
        return new IllegalStateException("transaction of '" + transactionalId + "' failed and was aborted: " + e, e);
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException abortFailed) {
            // Nothing was committed; a producer that cannot abort cannot be used again.
            LOG.warn("could not abort the transaction of '{}' ({}); closing its producer", transactionalId, abortFailed.toString());
            close();
        }
    }

    private static boolean isCausedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this publisher can no longer be used (fenced, or a transaction could not be aborted). */
    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            producer.close(Duration.ofSeconds(5));
        }
    }
}
