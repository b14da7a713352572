package io.seismo.train;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import io.seismo.config.SeismoConfig;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.ReleaseOrigin;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The releases of a model that are still on the models topic, and publishing new ones.
 *
 * <p>The models topic is compacted and keyed by model name, so once the log cleaner has run only the newest release of
 * each model is left: older versions can no longer be listed, nor rolled back to.
 */
public final class ModelCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    private static final BinaryMessageDecoder<ModelRelease> RELEASES = ModelRelease.getDecoder();

    private final SeismoConfig config;
    private final Duration timeout;

    /**
     * @param config  the cluster, the models topic and its record size limit
     * @param timeout how long reading the topic to its end, or publishing one release, may take
     */
    public ModelCatalog(SeismoConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    /** The releases of one model found on the topic, by version (equal versions in topic order). */
    public record Listing(String modelName, String topic, List<ModelRelease> releases, int undecodable) {
        public Listing {
            releases = releases.stream().sorted(Comparator.comparingLong(ModelRelease::getVersion)).toList();
        }

        /** The release with the highest version; of equal versions the first written, as the detector keeps that one. */
        public Optional<ModelRelease> latest() {
            return releases.isEmpty() ? Optional.empty() : find(releases.get(releases.size() - 1).getVersion());
        }

        /** The first release of that version on the topic. */
        public Optional<ModelRelease> find(long version) {
            return releases.stream().filter(r -> r.getVersion() == version).findFirst();
        }

        /** Versions on the topic, ascending, without repeats. */
        public List<Long> versions() {
            return releases.stream().map(ModelRelease::getVersion).distinct().toList();
        }

        /** Versions from 1 to the latest that are not on the topic any more (compacted away, or never written). */
        public List<Long> missingVersions() {
            List<Long> present = versions();
            List<Long> missing = new ArrayList<>();
            long latest = present.isEmpty() ? 0 : present.get(present.size() - 1);
            for (long v = 1; v < latest; v++) {
                if (!present.contains(v)) {
                    missing.add(v);
                }
            }
            return missing;
        }
    }

    /**
     * The settings of a consumer that reads the models topic through: committed releases only, no offsets committed,
     * fetches that take the largest release the topic does ({@code topic.models.max.message.bytes}), keys as strings
     * and values as bytes.
     */
    static Map<String, Object> modelsConsumerConfig(SeismoConfig config) {
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.topics().modelsMaxMessageBytes());
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, config.topics().modelsMaxMessageBytes());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    /** Reads the models topic from its beginning to its end offsets and keeps the releases of {@code modelName}. */
    public Listing read(String modelName) {
        String topic = config.topics().models();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ModelRelease> releases = new ArrayList<>();
        int undecodable = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(modelsConsumerConfig(config))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + topic + "' does not exist");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "could not read topic '%s' to its end within %d s",
                            topic, timeout.toSeconds()));
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!modelName.equals(r.key()) || r.value() == null) {
                        continue;
                    }
                    try {
                        releases.add(ModelReleases.decodeVerified(r.value()));
                    } catch (RuntimeException e) {
                        undecodable++;
                        LOG.warn("skipping a record at {}-{}@{} that is not a usable release: {}", r.topic(), r.partition(), r.offset(),
                                e.getMessage());
                    }
                }
            }
        }
        return new Listing(modelName, topic, releases, undecodable);
    }

    /**
     * Publishes a release keyed by its model name, in a transaction of the group's {@link ReleasePublisher}: refused unless
     * its version is above every version on the topic when the transaction reads it. Returns its offset.
     *
     * @throws IllegalArgumentException in one line, when the topic already has that version or a higher one
     */
    public long publish(ModelRelease release) {
        return transact(latestBefore -> {
            if (latestBefore.latest().map(l -> l.getVersion() >= release.getVersion()).orElse(false)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "not publishing release %d of model '%s': topic '%s' already has version %d", release.getVersion(),
                        release.getModelName(), latestBefore.topic(), latestBefore.latest().orElseThrow().getVersion()));
            }
            return release;
        }, release.getModelName()).offset();
    }

    /**
     * Rolls {@code modelName} back to {@code toVersion} ({@link #rollback(Listing, long, Instant)}), deciding the new
     * version on what the topic holds inside the transaction that publishes it, through the same transactional id as the
     * trainers of the group: a trainer publishing meanwhile is fenced, and a rollback fenced by a trainer tries again
     * (three attempts in all).
     */
    public ReleasePublisher.Committed rollback(String modelName, long toVersion) {
        return transact(listing -> rollback(listing, toVersion, Instant.now()), modelName);
    }

    private static final int FENCED_ATTEMPTS = 3;

    private ReleasePublisher.Committed transact(java.util.function.Function<Listing, ModelRelease> decide, String modelName) {
        for (int attempt = 1; ; attempt++) {
            try (ReleasePublisher publisher = new ReleasePublisher(config, timeout)) {
                return publisher.publish(modelName, decide, Map.of(), null);
            } catch (ReleasePublisher.FencedException e) {
                if (attempt == FENCED_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage() + " " + FENCED_ATTEMPTS + " times in a row; nothing published", e);
                }
                LOG.info("{}; trying again", e.getMessage());
            }
        }
    }

    /**
     * A new release rolling the model back to {@code toVersion}: version latest + 1, parent the latest, origin ROLLBACK,
     * source {@code toVersion}, and that version's weights, shape, inputs and training information unchanged.
     *
     * @throws IllegalArgumentException in one line, when the model has no release on the topic, when {@code toVersion} is not
     *                                  on the topic (compacted away or never published) or when it is already the latest
     */
    public static ModelRelease rollback(Listing listing, long toVersion, Instant now) {
        ModelRelease latest = listing.latest().orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT,
                "model '%s' has no release on topic '%s' to roll back", listing.modelName(), listing.topic())));
        ModelRelease source = listing.find(toVersion).orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT,
                "version %d of model '%s' is not on topic '%s' (versions there: %s); the topic is compacted, so only releases"
                        + " still on it can be rolled back to",
                toVersion, listing.modelName(), listing.topic(), joined(listing.versions()))));
        if (source.getVersion() == latest.getVersion()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "version %d is already the latest release of model '%s'; nothing to roll back", toVersion, listing.modelName()));
        }
        return ModelRelease.newBuilder(source)
                .setVersion(latest.getVersion() + 1)
                .setParentVersion(latest.getVersion())
                .setCreatedAt(now)
                .setOrigin(ReleaseOrigin.ROLLBACK)
                .setSourceVersion(source.getVersion())
                .build();
    }

    /** e.g. "1, 2, 5". */
    public static String joined(List<Long> versions) {
        StringJoiner j = new StringJoiner(", ");
        versions.forEach(v -> j.add(Long.toString(v)));
        return versions.isEmpty() ? "none" : j.toString();
    }
}
