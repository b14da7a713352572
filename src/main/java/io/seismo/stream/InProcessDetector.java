package io.seismo.stream;

import java.io.File;
import java.util.List;
import java.util.Properties;

import io.seismo.config.SeismoConfig;
import io.seismo.release.ModelReleases;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The detector's processors ({@link ReadingValidator}, {@link AnomalyDetector}, {@link ModelReleaseUpdater}: the very
 * classes of {@link SeismoTopology}) wired as the topology wires them and driven in the caller's thread, without a
 * broker, over real RocksDB stores (the series state and the model releases, under {@code state.dir}, deleted on
 * {@link #close()}). Each reading passed to {@link #judge} is validated, judged and answered before it returns; a
 * release passed to {@link #publish} is in the model store, and so in force from the next reading, before it returns.
 * What the processors forward to the topology's sinks (the records the sinks would write) is handed to a
 * {@link DetectorOutputs} in the order it was forwarded.
 *
 * <p>The decision is the live detector's, reading for reading: the same processors, serdes, stores and state layout; only
 * the transport differs (Kafka Streams' {@link MockProcessorContext} stands where the stream task stands, so there is no
 * commit, changelog or cache per record). Used by history scoring, where a broker round-trip per batch would cost far
 * more than the judgement itself.
 */
public final class InProcessDetector implements AutoCloseable {
    private final SeismoConfig config;
    private final SeismoTopology.Names names = SeismoTopology.Names.DEFAULT;
    private final MockProcessorContext<Object, Object> validatorContext;
    private final MockProcessorContext<Object, Object> detectorContext;
    private final MockProcessorContext<Void, Void> modelContext;
    private final ReadingValidator validator;
    private final AnomalyDetector detector;
    private final ModelReleaseUpdater modelUpdater;
    private final KeyValueStore<String, byte[]> states;
    private final KeyValueStore<String, ModelRelease> models;
    private final KeyValueStore<String, Long> counts;
    private long offset;
    private long modelOffset;

    /**
     * Opens the stores under {@code state.dir} and initialises the processors of {@code config}'s topology, which must
     * write the scores topic ({@code topic.scores}).
     */
    public InProcessDetector(SeismoConfig config) {
        SeismoConfig.Topics t = config.topics();
        if (!t.scoresEnabled()) {
            throw new IllegalArgumentException("in-process scoring needs topic.scores");
        }
        this.config = config;
        Properties props = DetectorApp.streamsProperties(config);
        File stateDir = new File(config.cluster().stateDir()).getAbsoluteFile();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.getPath());
        TaskId task = new TaskId(0, 0);
        SeismoSerdes.External serdes = SeismoSerdes.external(config.formats());
        long now = System.currentTimeMillis();

        ModelBoard board = new ModelBoard();
        this.modelContext = new MockProcessorContext<>(props, task, stateDir);
        this.models = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.modelStore()), Serdes.String(), SeismoSerdes.MODEL)
                .withLoggingDisabled().withCachingDisabled().build();
        models.init(modelContext.getStateStoreContext(), models);
        modelContext.addStateStore(models);
        this.modelUpdater = new ModelReleaseUpdater(names.modelStore(), board, DetectorMetrics.NONE);
        modelUpdater.init(modelContext);

        this.validatorContext = new MockProcessorContext<>(props, task, stateDir);
        validatorContext.setCurrentSystemTimeMs(now);
        this.validator = new ReadingValidator(config.input(), serdes.readings().deserializer(), names.detector(), names.deadLetterSink(),
                DetectorMetrics.NONE);
        validator.init(validatorContext);

        this.detectorContext = new MockProcessorContext<>(props, task, stateDir);
        detectorContext.setCurrentSystemTimeMs(now);
        this.states = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.stateStore()), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().withCachingDisabled().build();
        states.init(detectorContext.getStateStoreContext(), states);
        detectorContext.addStateStore(states);
        detectorContext.addStateStore(models);
        this.counts = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.countsStore()), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().withCachingDisabled().build();
        counts.init(detectorContext.getStateStoreContext(), counts);
        detectorContext.addStateStore(counts);
        this.detector = new AnomalyDetector(config, names, board, DetectorMetrics.NONE);
        detector.init(detectorContext);
    }

    /** Judges one reading, given as its key, event time and encoded value, and hands what it produced to {@code out}. */
    public void judge(String series, long timestamp, byte[] value, DetectorOutputs out) {
        String topic = config.topics().readings();
        validatorContext.setRecordMetadata(topic, 0, offset);
        detectorContext.setRecordMetadata(topic, 0, offset);
        offset++;
        validator.process(new Record<>(series == null ? null : series.getBytes(java.nio.charset.StandardCharsets.UTF_8), value, timestamp));
        List<MockProcessorContext.CapturedForward<?, ?>> validated = List.copyOf(validatorContext.forwarded());
        validatorContext.resetForwards();
        for (MockProcessorContext.CapturedForward<?, ?> f : validated) {
            String child = f.childName().orElse("");
            if (child.equals(names.detector())) {
                @SuppressWarnings("unchecked")
                Record<String, ValidReading> valid = (Record<String, ValidReading>) f.record();
                detector.process(valid);
                for (MockProcessorContext.CapturedForward<?, ?> d : detectorContext.forwarded()) {
                    sink(d, out);
                }
                detectorContext.resetForwards();
            } else {
                sink(f, out);
            }
        }
    }

    /** Judges one reading. */
    public void judge(Reading reading, DetectorOutputs out) {
        judge(reading.getSeries(), reading.getTimestamp().toEpochMilli(), SeismoSerdes.READING.encode(reading), out);
    }

    /** What a sink of the topology receives goes to {@code out} as the record the sink would write. */
    private void sink(MockProcessorContext.CapturedForward<?, ?> f, DetectorOutputs out) {
        String child = f.childName().orElse("");
        Object value = f.record().value();
        if (child.equals(names.scoresSink())) {
            out.scored((ScoredReading) value);
        } else if (child.equals(names.trainingSink())) {
            out.normal(((ValidReading) value).reading());
        } else if (child.equals(names.anomaliesSink())) {
            out.event((AnomalyEvent) value);
        } else if (child.equals(names.deadLetterSink())) {
            out.deadLetter((DeadLetter) value);
        } else {
            throw new IllegalStateException("the topology has no sink '" + child + "'");
        }
    }

    /** Puts a release on the models topic; it is in force from the next reading judged. */
    public void publish(ModelRelease release) {
        modelContext.setRecordMetadata(config.topics().models(), 0, modelOffset++);
        modelUpdater.process(new Record<>(config.model().name(), ModelReleases.encode(release), release.getCreatedAt().toEpochMilli()));
    }

    /** Version of the release the model store holds (0 before the first). */
    public long releaseInForce() {
        ModelRelease r = models.get(config.model().name());
        return r == null ? 0 : r.getVersion();
    }

    @Override
    public void close() {
        detector.close();
        validator.close();
        modelUpdater.close();
        states.close();
        models.close();
        counts.close();
    }
}
