package io.seismo.stream;

import java.time.Instant;
import java.util.List;
import java.util.Properties;

import io.seismo.config.SeismoConfig;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production topology ({@link SeismoTopology#build}, its processors and its RocksDB stores) driven in this thread by
 * Kafka Streams' own {@link TopologyTestDriver}, without a broker: each reading piped in is validated, judged and
 * answered before {@link #judge} returns, and a release piped in is in the global model store, and so in force from the
 * next reading, before {@link #publish} returns. What the detector forwards is handed to an {@link DetectorOutputs} as it is
 * produced, in the order it was produced.
 *
 * <p>The decision is the live detector's, reading for reading: the same topology, serdes, stores and state layout; only
 * the transport differs. Used by history scoring, where a broker round-trip per batch would cost far more than the
 * judgement itself.
 */
public final class InProcessDetector implements AutoCloseable {

    private final SeismoConfig config;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> readings;
    private final TestInputTopic<String, byte[]> models;
    private final TestOutputTopic<byte[], byte[]> scores;
    private final TestOutputTopic<byte[], byte[]> training;
    private final TestOutputTopic<byte[], byte[]> anomalies;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<byte[], byte[]> changelog;
    private final KeyValueStore<String, ModelRelease> modelStore;

    /**
     * Starts the topology of {@code config}, which must write the scores topic ({@code topic.scores}) and use the
     * single-object format; its stores go under {@code state.dir}, deleted on {@link #close()}.
     */
    public InProcessDetector(SeismoConfig config) {
        SeismoConfig.Topics t = config.topics();
        if (!t.scoresEnabled()) {
            throw new IllegalArgumentException("in-process scoring needs topic.scores");
        }
        this.config = config;
        Properties props = DetectorApp.streamsProperties(config);
        // One thread, no broker: the guarantee only changes how the driver commits, not what the detector decides.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        this.driver = new TopologyTestDriver(SeismoTopology.build(config, DetectorMetrics.NONE, SeismoSerdes.external(config.formats())),
                props, Instant.now());
        StringSerializer keys = new StringSerializer();
        ByteArraySerializer values = new ByteArraySerializer();
        this.readings = driver.createInputTopic(t.readings(), keys, values);
        this.models = driver.createInputTopic(t.models(), keys, values);
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        this.scores = driver.createOutputTopic(t.scores(), bytes, bytes);
        this.training = driver.createOutputTopic(t.training(), bytes, bytes);
        this.anomalies = driver.createOutputTopic(t.anomalies(), bytes, bytes);
        this.deadLetters = driver.createOutputTopic(t.deadLetter(), bytes, bytes);
        this.changelog = driver.createOutputTopic(config.cluster().applicationId() + "-" + SeismoTopology.Names.DEFAULT.stateStore()
                + "-changelog", bytes, bytes);
        this.modelStore = driver.getKeyValueStore(SeismoTopology.Names.DEFAULT.modelStore());
    }

    /** Judges one reading, given as its series, event time and encoded value, and hands what it produced to {@code out}. */
    public void judge(String series, long timestamp, byte[] value, DetectorOutputs out) {
        readings.pipeInput(series, value, timestamp);
        drain(out);
    }

    /** Judges one reading. */
    public void judge(Reading reading, DetectorOutputs out) {
        judge(reading.getSeries(), reading.getTimestamp().toEpochMilli(), SeismoSerdes.READING.encode(reading), out);
    }

    /** Puts a release on the models topic; it is in force from the next reading judged. */
    public void publish(ModelRelease release) {
        models.pipeInput(config.model().name(), ModelReleases.encode(release));
    }

    /** Version of the release the global model store holds (0 before the first). */
    public long releaseInForce() {
        ModelRelease r = modelStore.get(config.model().name());
        return r == null ? 0 : r.getVersion();
    }

    private void drain(DetectorOutputs out) {
        // The changelog is the store's backup; in-process nobody restores from it.
        if (!changelog.isEmpty()) {
            changelog.readRecordsToList();
        }
        for (TestRecord<byte[], byte[]> r : records(deadLetters)) {
            out.deadLetter(r.value());
        }
        for (TestRecord<byte[], byte[]> r : records(anomalies)) {
            out.event(r.value());
        }
        for (TestRecord<byte[], byte[]> r : records(training)) {
            out.normal(r.value());
        }
        for (TestRecord<byte[], byte[]> r : records(scores)) {
            out.scored(r.value());
        }
    }

    private static List<TestRecord<byte[], byte[]>> records(TestOutputTopic<byte[], byte[]> topic) {
        return topic.isEmpty() ? List.of() : topic.readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
