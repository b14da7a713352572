package io.seismo.stream;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.seismo.config.SeismoConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lifecycle of the detector: the Kafka Streams application running {@link SeismoTopology}. */
public final class DetectorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorApp.class);

    private final KafkaStreams streams;

    public DetectorApp(SeismoConfig config) {
        this.streams = new KafkaStreams(SeismoTopology.build(config), streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed, replacing it: {}", e.toString(), e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** The Kafka Streams settings a configuration implies (kafka.* keys pass through to every client). */
    public static Properties streamsProperties(SeismoConfig config) {
        SeismoConfig.Cluster c = config.cluster();
        Properties p = new Properties();
        p.putAll(config.clientConfig());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, c.processingGuarantee());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.commitIntervalMs());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.streamThreads());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.standbyReplicas());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.topics().replicationFactor());
        int modelBytes = config.topics().modelsMaxMessageBytes();
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), modelBytes);
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), modelBytes);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // The global model processor handles bad releases itself; this opts in to the 5.0 behaviour now.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        for (Map.Entry<String, String> e : config.kafka().entrySet()) {
            p.put(e.getKey(), e.getValue());
        }
        return p;
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Whether the application is processing. */
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Stops processing and leaves the group, so the partitions move to the other instances (or a restart) at once. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
