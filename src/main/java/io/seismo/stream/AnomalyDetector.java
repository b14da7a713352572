package io.seismo.stream;

import java.time.Duration;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.ActiveModel;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.EpisodeState;
import io.seismo.detect.EpisodeTransition;
import io.seismo.detect.SeriesDetector;
import io.seismo.detect.SeriesState;
import io.seismo.detect.SeverityBand;
import io.seismo.detect.Verdict;
import io.seismo.nn.InputEncoding;
import io.seismo.nn.NetworkShape;
import io.seismo.release.ModelReleases;
import io.seismo.release.ReleaseRejectedException;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.AnomalyReason;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import io.seismo.schema.Severity;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether each reading is anomalous: advances the series' state (kept in the RocksDB store) by one step with
 * the model in force, emits an {@link AnomalyEvent} when the series' anomaly episode opens, escalates or closes,
 * forwards readings judged normal to the training side topic, and dead-letters readings it cannot accept.
 */
public final class AnomalyDetector implements Processor<String, ValidReading, Object, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyDetector.class);
    private static final java.util.concurrent.atomic.AtomicLong LOGGED_VERSION = new java.util.concurrent.atomic.AtomicLong();

    private final SeriesDetector detector;
    private final PackedSeriesState codec;
    private final SeismoConfig.Model modelConfig;
    private final NetworkShape shape;
    private final InputEncoding inputs;
    private final String detectorConfigId;
    private final SeismoTopology.Names names;
    private final ModelBoard board;
    private final boolean writeScores;
    private final int deadLetterMaxBytes;
    private final DetectorMetrics metrics;
    private final SilenceEvents silence;
    private final SeriesSweep sweep;
    private final boolean streamClock;
    private final long sweepIntervalMs;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> states;
    private SeriesCounts counts;
    /**
     * The latest timestamp of a reading this task judged: the stream time silence is measured on when asked. Not Kafka
     * Streams' stream time, which any record's timestamp moves (a bad record stamped now would make every series silent).
     */
    private long latestReading = -1;
    private KeyValueStore<String, ModelRelease> models;
    private ActiveModel model;
    private long refusedVersion;
    /** The state of the series being processed, decoded in place reading after reading. */
    private SeriesState current;
    /** Readings whose outputs the broker refused, to dead-letter when they come again; null outside a Kafka Streams app. */
    private RefusedOutputs refused;

    public AnomalyDetector(SeismoConfig config, SeismoTopology.Names names) {
        this(config, names, new ModelBoard(), DetectorMetrics.NONE);
    }

    AnomalyDetector(SeismoConfig config, SeismoTopology.Names names, ModelBoard board, DetectorMetrics metrics) {
        this.board = board;
        this.metrics = metrics;
        this.writeScores = config.topics().scoresEnabled();
        this.deadLetterMaxBytes = config.input().deadLetterMaxBytes();
        this.detector = new SeriesDetector(DetectorSettings.from(config));
        this.codec = new PackedSeriesState(detector.settings());
        this.current = detector.newState();
        this.modelConfig = config.model();
        this.shape = ModelReleases.configuredShape(config.model());
        this.inputs = ModelReleases.inputsOf(config.model());
        this.detectorConfigId = config.detectorConfigId();
        this.names = names;
        this.silence = new SilenceEvents(detectorConfigId, config.detect().silenceAfter());
        this.sweep = new SeriesSweep(new PackedSeriesState(detector.settings()), silence, config.detect().silenceAfter(),
                config.cluster().stateTtlMs(), config.cluster().sweepMaxSeries(), !config.detect().silenceOnStreamTime(), metrics);
        this.streamClock = config.detect().silenceOnStreamTime();
        this.sweepIntervalMs = config.cluster().sweepIntervalMs();
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.states = context.getStateStore(names.stateStore());
        this.models = context.getStateStore(names.modelStore());
        this.counts = SeriesCounts.load(context.getStateStore(names.countsStore()), states, codec);
        PoisonPolicy policy = PoisonPolicy.from(context.appConfigs());
        this.refused = policy == null ? null : policy.refused();
        refreshModel();
        context.schedule(Duration.ofMillis(modelConfig.checkIntervalMs()), PunctuationType.WALL_CLOCK_TIME, t -> refreshModel());
        if (sweep.active()) {
            // Swept on the wall clock either way; silence and expiry are measured on the configured clock.
            context.schedule(Duration.ofMillis(sweepIntervalMs), PunctuationType.WALL_CLOCK_TIME, wall ->
                    sweep.sweep(streamClock ? latestReading : wall, states, counts, this::emitSwept));
        }
    }

    private void emitSwept(String series, AnomalyEvent event) {
        metrics.anomalyEvent(event.getKind() == EpisodeEventKind.OPENED ? EpisodeTransition.OPENED : EpisodeTransition.CLOSED);
        context.forward(new Record<>(series, event, event.getTimestamp().toEpochMilli()), names.anomaliesSink());
    }

    /** Looks up the release in force; decodes it only when its version changed. */
    private void refreshModel() {
        ModelRelease release;
        try {
            release = models.get(modelConfig.name());
        } catch (RuntimeException e) {
            LOG.error("cannot read model '{}' from the global store: {}", modelConfig.name(), e.getMessage());
            return;
        }
        if (release == null || (model != null && model.version() == release.getVersion()) || release.getVersion() == refusedVersion) {
            return;
        }
        try {
            model = new ActiveModel(ModelReleases.toNetwork(release, shape, inputs), release.getVersion(), inputs);
            // Every task loads the release; say so once per version.
            if (LOGGED_VERSION.getAndAccumulate(release.getVersion(), Math::max) < release.getVersion()) {
                LOG.info("model '{}' release {} in force ({})", modelConfig.name(), release.getVersion(), ModelReleases.describe(shape));
            }
        } catch (RuntimeException e) {
            // Whatever went wrong with this release, the model in force stays; the version is not tried again.
            refusedVersion = release.getVersion();
            metrics.modelRejected(ReleaseRejectedException.reasonOf(e));
            LOG.error("refusing release {} of model '{}', keeping {}: {}", release.getVersion(), modelConfig.name(),
                    model == null ? "the baseline forecaster" : "release " + model.version(), e.getMessage());
        }
    }

    @Override
    public void process(Record<String, ValidReading> record) {
        String series = record.key();
        Reading reading = record.value().reading();
        long timestamp = reading.getTimestamp().toEpochMilli();
        RefusedOutputs.Refusal refusal = refused == null ? null : refused.forReading(series, timestamp);
        if (refusal != null) {
            // Processed before, and the broker refused an output: dead-letter it now, stamped with a time it accepts.
            long stamp = Math.min(Math.max(0, record.value().sourceTimestamp()), context.currentSystemTimeMs());
            deadLetter(record, DeadLetterReason.OUTPUT_REFUSED, refusal.why() + "; the reading is not judged", stamp, null);
            return;
        }
        long began = System.nanoTime();
        Verdict verdict;
        SeriesState state;
        byte[] encoded;
        boolean existed;
        boolean wasOpen;
        AnomalyEvent silenceClosed = null;
        // Every step is inside the try; what Kafka Streams must see (a closed store, a migrated task) passes through.
        try {
            long announced = board.latest();
            if (announced != 0 && announced != refusedVersion && (model == null || model.version() != announced)) {
                refreshModel();
            }
            byte[] stored = states.get(series);
            try {
                state = stored == null ? detector.newState() : codec.decodeInto(stored, current);
            } catch (RuntimeException e) {
                if (PoisonPolicy.mustPropagate(e)) {
                    throw e;
                }
                unreadableState(record, stored, e);
                return;
            }
            if (state.readings() > 0 && timestamp <= state.lastTimestamp()) {
                deadLetter(record, DeadLetterReason.OUT_OF_ORDER, "timestamp " + timestamp + " is not after the series' last reading at "
                        + state.lastTimestamp());
                return;
            }
            existed = stored != null;
            wasOpen = existed && SeriesCounts.isOpen(state);
            if (state.silent()) {
                // The series reports again: its SILENT episode closes, and the reading is judged as any other.
                silenceClosed = silence.closed(series, state, state.closeSilence(), timestamp, timestamp - state.lastTimestamp(),
                        reading.getValue());
            }
            // A failure to judge falls to the catch below: dead-lettered as PROCESSING_ERROR.
            verdict = detector.advance(state, timestamp, reading.getValue(), model);
            try {
                state.arrived(context.currentSystemTimeMs());
                encoded = codec.encode(state);
            } catch (RuntimeException e) {
                if (PoisonPolicy.mustPropagate(e)) {
                    throw e;
                }
                LOG.error("encoding the state of series '{}' failed; its stored state stays as it was", ReadingValidator.abbreviate(series), e);
                current = detector.newState();
                deadLetter(record, DeadLetterReason.STATE_UNWRITABLE, "encoding the series' state after this reading failed (" + e
                        + "); the reading is not judged and the stored state stays as it was");
                return;
            }
        } catch (RuntimeException e) {
            if (PoisonPolicy.mustPropagate(e)) {
                throw e;
            }
            LOG.error("processing series '{}' failed", ReadingValidator.abbreviate(series), e);
            deadLetter(record, DeadLetterReason.PROCESSING_ERROR, e.toString());
            return;
        }
        // The store write and the forwards stay outside the try: what they throw (a closed store, a fenced producer) must
        // reach Kafka Streams; a refused or unencodable output goes to the production exception handler.
        states.put(series, encoded);
        counts.changed(existed, wasOpen, true, SeriesCounts.isOpen(state));
        latestReading = Math.max(latestReading, timestamp);
        metrics.judged(System.nanoTime() - began);
        if (silenceClosed != null) {
            metrics.anomalyEvent(EpisodeTransition.CLOSED);
            context.forward(new Record<>(series, silenceClosed, timestamp), names.anomaliesSink());
        }
        if (metrics.watches(series)) {
            metrics.judged(series, timestamp, verdict, state.inEpisode());
        }
        if (verdict.transition() != EpisodeTransition.NONE) {
            metrics.anomalyEvent(verdict.transition());
            context.forward(new Record<>(series, event(series, reading, verdict, state), timestamp), names.anomaliesSink());
        }
        if (!verdict.anomalous() && !state.inEpisode()) {
            context.forward(new Record<>(series, record.value(), timestamp), names.trainingSink());
        }
        if (writeScores) {
            context.forward(new Record<>(series, scored(series, reading, verdict, state), timestamp), names.scoresSink());
        }
    }

    /**
     * The series' stored state cannot be decoded: the reading is dead-lettered with the state's bytes in a header, and the
     * state is discarded, so the series restarts from a fresh state with its next reading rather than failing forever.
     */
    private void unreadableState(Record<String, ValidReading> record, byte[] stored, RuntimeException e) {
        String series = record.key();
        // The shared instance may be half overwritten: start the next reading from a clean one.
        current = detector.newState();
        states.delete(series);
        // Whether it had an episode open cannot be read; it is counted as a series gone.
        counts.changed(true, false, false, false);
        LOG.error("the stored state of series '{}' ({} bytes) cannot be decoded: {}; it is discarded and the series restarts from a "
                + "fresh state with its next reading", ReadingValidator.abbreviate(series), stored.length, e.toString());
        deadLetter(record, DeadLetterReason.STATE_UNREADABLE, "the series' stored state (" + stored.length + " bytes, kept in the "
                + DeadLetters.STATE_HEADER + " header) cannot be decoded: " + e + "; the state was discarded, the reading is not judged "
                + "and the series restarts from a fresh state with its next reading", Math.max(0, record.value().sourceTimestamp()),
                stored.length <= deadLetterMaxBytes ? stored : java.util.Arrays.copyOf(stored, deadLetterMaxBytes));
    }

    private static ScoredReading scored(String series, Reading reading, Verdict v, SeriesState state) {
        return ScoredReading.newBuilder()
                .setSeries(series)
                .setTimestamp(reading.getTimestamp())
                .setValue(v.observed())
                .setScored(v.scored())
                .setExpected(v.expected())
                .setLower(v.lower())
                .setUpper(v.upper())
                .setError(v.error())
                .setThreshold(v.threshold())
                .setScore(v.score())
                .setAnomalous(v.anomalous())
                .setInEpisode(state.inEpisode())
                .setModelVersion(v.modelVersion())
                .setReason(AnomalyReason.valueOf(v.reason().name()))
                .setEvent(v.transition() == EpisodeTransition.NONE ? null : EpisodeEventKind.valueOf(v.transition().name()))
                .build();
    }

    private AnomalyEvent event(String series, Reading reading, Verdict v, SeriesState state) {
        EpisodeState episode = state.episodes();
        return AnomalyEvent.newBuilder()
                .setSeries(series)
                .setTimestamp(reading.getTimestamp())
                .setObserved(v.observed())
                .setExpected(v.expected())
                .setLower(v.lower())
                .setUpper(v.upper())
                .setError(v.error())
                .setScore(v.score())
                .setThreshold(v.threshold())
                .setSeverity(Severity.valueOf(episodeSeverity(v, episode).name()))
                .setKind(EpisodeEventKind.valueOf(v.transition().name()))
                .setEpisodeStart(java.time.Instant.ofEpochMilli(episode.start()))
                .setEpisodeReadings(episode.readings())
                .setPeakScore(episode.peakScore())
                .setModelVersion(v.modelVersion())
                .setReason(AnomalyReason.valueOf(v.reason().name()))
                .setDetectorConfigId(detectorConfigId)
                .build();
    }

    private static SeverityBand episodeSeverity(Verdict v, EpisodeState episode) {
        SeverityBand[] all = SeverityBand.values();
        return v.transition() == EpisodeTransition.CLOSED ? all[Math.min(episode.maxSeverity(), all.length - 1)] : v.severity();
    }

    private void deadLetter(Record<String, ValidReading> record, DeadLetterReason reason, String detail) {
        deadLetter(record, reason, detail, Math.max(0, record.value().sourceTimestamp()), null);
    }

    private void deadLetter(Record<String, ValidReading> record, DeadLetterReason reason, String detail, long recordTimestamp,
                            byte[] state) {
        ValidReading original = record.value();
        metrics.deadLettered(reason);
        Record<byte[], DeadLetter> letter = DeadLetters.of(context, original.sourceTimestamp(), recordTimestamp,
                original.key(), original.value(), reason, detail, deadLetterMaxBytes);
        if (state != null) {
            letter.headers().add(DeadLetters.STATE_HEADER, state);
        }
        context.forward(letter, names.deadLetterSink());
    }
}
