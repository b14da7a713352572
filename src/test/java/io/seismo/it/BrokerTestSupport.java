package io.seismo.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.seismo.schema.SeriesState;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoTopology;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** What the real-broker tests share: waiting on conditions, seeding data, looking into a running detector's state. */
final class BrokerTestSupport {
    private BrokerTestSupport() {
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after {@code timeout}. */
    static void waitFor(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(100); // polling interval, not a wait for an outcome
        }
    }

    /**
     * A producer for seeding test data: plain ordered sends, no sequence numbers (the idempotent producer was seen to
     * reset its sequence mid-run against the in-process broker and then be refused with OutOfOrderSequenceException).
     */
    static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    /** Every series' state in a running detector's store; empty while it is not RUNNING or rebalancing. */
    static Map<String, SeriesState> states(DetectorApp detector) {
        Map<String, SeriesState> out = new HashMap<>();
        if (detector.streams().state() != KafkaStreams.State.RUNNING) {
            return out;
        }
        try {
            ReadOnlyKeyValueStore<String, SeriesState> store = detector.streams().store(StoreQueryParameters.fromNameAndType(
                    SeismoTopology.Names.DEFAULT.stateStore(), QueryableStoreTypes.<String, SeriesState>keyValueStore()));
            try (KeyValueIterator<String, SeriesState> it = store.all()) {
                it.forEachRemaining(kv -> out.put(kv.key, kv.value));
            }
        } catch (InvalidStateStoreException rebalancing) {
            return Map.of();
        }
        return out;
    }
}
