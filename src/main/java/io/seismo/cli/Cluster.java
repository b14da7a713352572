package io.seismo.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.seismo.config.ConfigDef;
import io.seismo.config.Overrides;
import io.seismo.config.SeismoConfig;
import io.seismo.kafka.ClusterAccess;
import io.seismo.kafka.EmbeddedKafka;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;
import io.seismo.stream.TopicPlan;
import org.apache.kafka.common.errors.AuthorizationException;

/** Connects a command to Kafka: the configured cluster, or the embedded broker when bootstrap.servers is 'embedded'. */
final class Cluster implements AutoCloseable {
    /** How long the start-up check of the cluster may take. */
    static final Duration ACCESS_TIMEOUT = Duration.ofSeconds(30);

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
        return connect(config, temporaryBroker, List.of(), false);
    }

    /**
     * As {@link #connect(SeismoConfig, boolean)}, checking first that the cluster answers, accepts the credentials and
     * grants the topics, the consumer {@code groups} and, when {@code transactional}, the transactional ids under
     * application.id: a misconfiguration stops the command with one line naming it.
     */
    static Cluster connect(SeismoConfig config, boolean temporaryBroker, Collection<String> groups, boolean transactional) {
        EmbeddedKafka broker = null;
        SeismoConfig effective = config;
        if (config.cluster().embedded()) {
            broker = temporaryBroker ? EmbeddedKafka.startTemporary() : EmbeddedKafka.start(Path.of(config.cluster().embeddedDataDir()));
            effective = config.with(Overrides.of(ConfigDef.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
        }
        try {
            List<String> topics = TopicPlan.of(effective).stream().map(TopicSpec::name).toList();
            checkAccess(effective, new ClusterAccess.Needs(topics, groups,
                    transactional ? effective.cluster().applicationId() : null));
            if (effective.topics().create()) {
                try {
                    TopicAdmin.ensureTopics(effective.clientConfig(), TopicPlan.of(effective), Duration.ofSeconds(60));
                } catch (IllegalStateException e) {
                    if (e.getCause() instanceof AuthorizationException) {
                        throw new IllegalStateException("cannot create Seismo's topics: " + e.getMessage()
                                + " (grant CREATE on them, or create them beforehand and set topics.create=false)", e);
                    }
                    throw e;
                }
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

    /** Runs {@link ClusterAccess#verify} and words its failure for Seismo's users: one line with the setting to check. */
    static void checkAccess(SeismoConfig config, ClusterAccess.Needs needs) {
        try {
            ClusterAccess.verify(config.clientConfig(), needs, ACCESS_TIMEOUT);
        } catch (ClusterAccess.Failure e) {
            String hint = switch (e.kind()) {
                case UNREACHABLE -> "check bootstrap.servers and kafka.security.protocol";
                case AUTHENTICATION -> "check kafka.sasl.jaas.config and kafka.sasl.mechanism";
                case AUTHORIZATION -> "grant the ACLs listed in the README, 'Running on a secured cluster'";
            };
            throw new IllegalStateException(e.getMessage() + " (" + hint + ")", e);
        }
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
