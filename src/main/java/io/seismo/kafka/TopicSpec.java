package io.seismo.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A topic to be created: name, partition count and topic-level configs. The replication factor is
 * left to the broker's {@code default.replication.factor}.
 *
 * @param name topic name
 * @param partitions number of partitions (at least 1)
 * @param configs topic configs such as {@code cleanup.policy}; copied, unmodifiable
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs, short replicationFactor) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + " needs at least 1 partition, was " + partitions);
        }
        if (replicationFactor < 0) {
            throw new IllegalArgumentException(
                    "topic " + name + " needs a replication factor of at least 1 (or 0 for the broker's default), was "
                            + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }

    /** A topic with the broker's default replication factor. */
    public TopicSpec(String name, int partitions, Map<String, String> configs) {
        this(name, partitions, configs, (short) 0);
    }

    /** The same topic with an explicit replication factor (0: the broker's default). */
    public TopicSpec withReplicationFactor(int factor) {
        return new TopicSpec(name, partitions, configs, (short) factor);
    }

    /** A topic with the broker's default configs (delete policy). */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** A delete-policy topic keeping records for {@code retentionMillis}. */
    public static TopicSpec retained(String name, int partitions, long retentionMillis) {
        return new TopicSpec(
                name, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMillis)));
    }

    /**
     * A log-compacted topic (latest value per key) accepting record batches up to {@code
     * maxMessageBytes}.
     */
    public static TopicSpec compacted(String name, int partitions, int maxMessageBytes) {
        return new TopicSpec(
                name,
                partitions,
                Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes)));
    }

    /** A copy with one more (or a replaced) topic config. */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> copy = new HashMap<>(configs);
        copy.put(key, value);
        return new TopicSpec(name, partitions, copy, replicationFactor);
    }
}
