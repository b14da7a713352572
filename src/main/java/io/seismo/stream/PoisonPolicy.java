package io.seismo.stream;

import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.DeadLetter;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * What the detector's error handlers and processors share about poison records: where dead letters go and how they are
 * encoded, the inputs whose outputs the broker refused, and which failures are a record's fault (dead-letter it and go
 * on) and which Kafka Streams must see (a rebalance, a fenced producer, a closed store, a refused login).
 *
 * <p>Kafka Streams creates the handlers from class names; they find this policy in their configuration under
 * {@link #CONFIG_KEY}, and the processors in {@code ProcessorContext.appConfigs()} under the same key.
 */
public final class PoisonPolicy {
    /** The Kafka Streams property holding the policy object (not a string: it passes through the configuration as is). */
    public static final String CONFIG_KEY = "seismo.poison.policy";

    private final String deadLetterTopic;
    private final int deadLetterMaxBytes;
    private final SeismoConfig.Formats formats;
    private final boolean exactlyOnce;
    private final RefusedOutputs refused = new RefusedOutputs();
    private volatile Serializer<DeadLetter> serializer;
    private volatile DetectorMetrics metrics;

    /**
     * The policy for a configuration; dead letters encoded with {@code serializer} (the dead-letter topic's, which must
     * match {@code serde.format}), or, when null, with one made on first use from the configuration.
     */
    public PoisonPolicy(SeismoConfig config, Serializer<DeadLetter> serializer, DetectorMetrics metrics) {
        this.deadLetterTopic = config.topics().deadLetter();
        this.deadLetterMaxBytes = config.input().deadLetterMaxBytes();
        this.formats = config.formats();
        this.exactlyOnce = config.cluster().exactlyOnce();
        this.serializer = serializer;
        this.metrics = metrics;
    }

    /** The policy in a Kafka Streams configuration (a handler's or a processor's), or null when none was put there. */
    static PoisonPolicy from(Map<String, ?> configs) {
        Object policy = configs.get(CONFIG_KEY);
        return policy instanceof PoisonPolicy p ? p : null;
    }

    String deadLetterTopic() {
        return deadLetterTopic;
    }

    int deadLetterMaxBytes() {
        return deadLetterMaxBytes;
    }

    boolean exactlyOnce() {
        return exactlyOnce;
    }

    /** The inputs whose outputs the broker refused. */
    public RefusedOutputs refused() {
        return refused;
    }

    DetectorMetrics metrics() {
        return metrics;
    }

    void metrics(DetectorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Encodes a dead letter for the dead-letter topic. */
    byte[] encode(DeadLetter letter, org.apache.kafka.common.header.Headers headers) {
        Serializer<DeadLetter> s = serializer;
        if (s == null) {
            s = SeismoSerdes.external(formats).deadLetters().serializer();
            serializer = s;
        }
        return s.serialize(deadLetterTopic, headers, letter);
    }

    /**
     * Whether {@code e} is Kafka Streams failing because the broker refused an output of the open transaction: under
     * exactly-once the producer then refuses every later send and the commit, and the stream thread fails. The refused
     * input is remembered by then ({@link RefusedOutputs}), so the replacement thread dead-letters it and moves on.
     */
    static boolean transactionDoomed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Exception x && DeadLetterProductionHandler.recordsFault(x)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether Kafka Streams must see {@code e} rather than a processor or handler dead-letter the record: a task migrated
     * or corrupted, a store closed or migrated (every {@link StreamsException}), a fenced or stale producer, a refused
     * login or right, a timeout, or the schema registry out of reach. Looks along the causes.
     */
    public static boolean mustPropagate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamsException || t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof OutOfOrderSequenceException || t instanceof InvalidPidMappingException
                    || t instanceof UnknownProducerIdException || t instanceof AuthenticationException
                    || t instanceof AuthorizationException || t instanceof TimeoutException
                    || t instanceof RegistrySerde.RegistryUnavailableException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
