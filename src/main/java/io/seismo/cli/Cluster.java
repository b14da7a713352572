package io.seismo.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.EmbeddedKafka;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;

/** Connects a command to Kafka: the configured cluster, or the embedded broker when bootstrap.servers is 'embedded'. */
final class Cluster implements AutoCloseable {
    private final EmbeddedKafka broker;
    private final SeismoConfig config;

    private Cluster(EmbeddedKafka broker, SeismoConfig config) {
        this.broker = broker;
        this.config = config;
    }

    /**
     * Starts the embedded broker if the configuration asks for it (in {@code temporaryBroker ? a temporary directory : embedded.data.dir}),
     * then creates missing topics when topics.create is on.
     */
    static Cluster connect(SeismoConfig config, boolean temporaryBroker) {
        EmbeddedKafka broker = null;
        SeismoConfig effective = config;
        if (config.cluster().embedded()) {
            broker = temporaryBroker ? EmbeddedKafka.startTemporary() : EmbeddedKafka.start(Path.of(config.cluster().embeddedDataDir()));
            effective = config.with(Map.of("bootstrap.servers", broker.bootstrapServers()));
        }
        try {
            if (effective.topics().create()) {
                TopicAdmin.ensureTopics(effective.clientConfig(), TopicPlan.of(effective), Duration.ofSeconds(60));
            } else {
                try {
                    TopicAdmin.requireTopics(effective.clientConfig(), TopicPlan.of(effective).stream().map(TopicSpec::name).toList(),
                            Duration.ofSeconds(60));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(e.getMessage() + " (create them, or set topics.create=true)", e);
                }
            }
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
        return new Cluster(broker, effective);
    }

    /** The configuration with the real bootstrap servers. */
    SeismoConfig config() {
        return config;
    }

    boolean embedded() {
        return broker != null;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
