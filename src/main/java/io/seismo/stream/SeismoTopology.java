package io.seismo.stream;

import java.util.Map;

import io.seismo.config.SeismoConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The detector's topology, a pure function of the configuration:
 * <pre>
 * readings ─▶ validate-reading ─▶ detect-anomalies ─▶ anomalies
 *                  │                   │  ├─▶ training (readings judged normal)
 *                  │                   │  ├─▶ scores (every reading, when topic.scores is set)
 *                  └──────────────────▶┴──┴─▶ deadletter
 * models ─▶ (global store model-releases, read by detect-anomalies)
 * feedback ─▶ apply-feedback ─▶ (store series-state, shared with detect-anomalies)
 *                   └─▶ deadletter
 * </pre>
 * Readings, anomalies, scores and dead letters are encoded as {@code serde.format} says ({@link SeismoSerdes#external});
 * training and models, which only Seismo reads, always in Avro single-object encoding.
 */
public final class SeismoTopology {

    /** Names of the topology's nodes and stores. */
    public record Names(String readingsSource, String validator, String detector, String anomaliesSink, String trainingSink,
                        String deadLetterSink, String scoresSink, String stateStore, String modelStore, String modelsSource,
                        String modelUpdater, String feedbackSource, String feedbackApplier, String countsStore) {
        public static final Names DEFAULT = new Names("readings-source", "validate-reading", "detect-anomalies",
                "anomalies-sink", "training-sink", "deadletter-sink", "scores-sink", "series-state", "model-releases",
                "models-source", "update-model-releases", "feedback-source", "apply-feedback", "series-counts");
    }

    private SeismoTopology() {
    }

    /** Builds the topology for a configuration. */
    public static Topology build(SeismoConfig config) {
        return build(config, DetectorMetrics.NONE);
    }

    /**
     * Builds the topology for a configuration, its processors reporting to {@code metrics}. In registry format its serdes
     * hold registry clients made on first use; {@link DetectorApp} passes serdes it closes instead.
     */
    public static Topology build(SeismoConfig config, DetectorMetrics metrics) {
        return build(config, metrics, SeismoSerdes.external(config.formats()));
    }

    /** Builds the topology for a configuration with the external topics' serdes (which must match {@code serde.format}). */
    public static Topology build(SeismoConfig config, DetectorMetrics metrics, SeismoSerdes.External serdes) {
        Names n = Names.DEFAULT;
        SeismoConfig.Topics topics = config.topics();
        Topology topology = new Topology();
        topology.addSource(n.readingsSource(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.readings());
        topology.addProcessor(n.validator(), () -> new ReadingValidator(config.input(), serdes.readings().deserializer(), n.detector(),
                n.deadLetterSink(), metrics), n.readingsSource());
        ModelBoard board = new ModelBoard();
        topology.addProcessor(n.detector(), () -> new AnomalyDetector(config, n, board, metrics), n.validator());
        // Operators' verdicts on alerts, keyed by series and co-partitioned with the readings: they update the same state.
        topology.addSource(n.feedbackSource(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.feedback());
        topology.addProcessor(n.feedbackApplier(), () -> new FeedbackApplier(config, n, metrics), n.feedbackSource());
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(n.stateStore()), Serdes.String(), Serdes.ByteArray())
                        .withCachingEnabled()
                        .withLoggingEnabled(Map.of()),
                n.detector(), n.feedbackApplier());
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(n.countsStore()), Serdes.String(), Serdes.Long())
                        .withLoggingEnabled(Map.of()),
                n.detector());
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(n.modelStore()), Serdes.String(), SeismoSerdes.MODEL)
                        .withLoggingDisabled(),
                n.modelsSource(), new StringDeserializer(), new ByteArrayDeserializer(), topics.models(), n.modelUpdater(),
                () -> new ModelReleaseUpdater(n.modelStore(), board, metrics));
        topology.addSink(n.anomaliesSink(), topics.anomalies(), new StringSerializer(), serdes.anomalies().serializer(), n.detector());
        // Normal readings go to training as they came (the readings topic's format, original bytes): nothing is re-encoded.
        topology.addSink(n.trainingSink(), topics.training(), new StringSerializer(), ValidReading.ORIGINAL_BYTES, n.detector());
        if (topics.scoresEnabled()) {
            topology.addSink(n.scoresSink(), topics.scores(), new StringSerializer(), serdes.scores().serializer(), n.detector());
        }
        topology.addSink(n.deadLetterSink(), topics.deadLetter(), new ByteArraySerializer(), serdes.deadLetters().serializer(),
                n.validator(), n.detector(), n.feedbackApplier());
        return topology;
    }
}
