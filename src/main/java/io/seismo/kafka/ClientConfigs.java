package io.seismo.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client configuration defaults matching {@link EmbeddedKafka}: byte-array serdes, records up to
 * {@link EmbeddedKafka#MAX_RECORD_BYTES}. Every method returns a fresh mutable map.
 */
public final class ClientConfigs {

    private static final String BYTES_SERIALIZER =
            "org.apache.kafka.common.serialization.ByteArraySerializer";
    private static final String BYTES_DESERIALIZER =
            "org.apache.kafka.common.serialization.ByteArrayDeserializer";

    private ClientConfigs() {}

    /** Admin client config. */
    public static Map<String, Object> admin(String bootstrapServers) {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return c;
    }

    /** Idempotent producer with {@code acks=all} and byte-array serializers. */
    public static Map<String, Object> producer(String bootstrapServers) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafka.MAX_MESSAGE_BYTES);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, BYTES_SERIALIZER);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, BYTES_SERIALIZER);
        return c;
    }

    /**
     * An ordered, non-idempotent producer of string keys and byte-array values on top of {@code base}: {@code acks=all},
     * one request in flight. For feeding input (simulators, scoring runs, benchmarks): no exactly-once is needed, and it
     * avoids the idempotent producer's sequence resets against a restarting in-process broker.
     */
    public static Map<String, Object> orderedProducer(Map<String, Object> base, int lingerMs) {
        Map<String, Object> c = new HashMap<>(base);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        c.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringSerializer");
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, BYTES_SERIALIZER);
        return c;
    }

    /** Transactional producer; call {@code initTransactions()} before use. */
    public static Map<String, Object> transactionalProducer(
            String bootstrapServers, String transactionalId) {
        Map<String, Object> c = producer(bootstrapServers);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return c;
    }

    /**
     * Consumer reading from the earliest offset, without auto-commit, with byte-array deserializers.
     *
     * @param readCommitted {@code isolation.level=read_committed} if true, else read_uncommitted
     */
    public static Map<String, Object> consumer(
            String bootstrapServers, String groupId, boolean readCommitted) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, EmbeddedKafka.MAX_MESSAGE_BYTES);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * EmbeddedKafka.MAX_MESSAGE_BYTES);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, BYTES_DESERIALIZER);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, BYTES_DESERIALIZER);
        return c;
    }
}
