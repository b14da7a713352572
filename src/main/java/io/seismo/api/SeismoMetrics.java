package io.seismo.api;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seismo.detect.EpisodeTransition;
import io.seismo.release.RejectionReason;
import io.seismo.stream.DeadLetterReason;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.DetectorMetrics;
import io.seismo.stream.StoreQueries;

/**
 * Seismo's metrics in one Prometheus registry: the detector's (readings judged, step latency, anomaly events, dead
 * letters, open episodes, model in force, model releases refused), the trainer's runs, Kafka Streams' own metrics and the JVM's. Every meter the
 * per-record path touches is created up front, so reporting allocates nothing.
 */
public final class SeismoMetrics implements DetectorMetrics, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter judged;
    private final Timer step;
    private final Map<EpisodeTransition, Counter> events = new EnumMap<>(EpisodeTransition.class);
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Map<RejectionReason, Counter> modelRejections = new EnumMap<>(RejectionReason.class);
    private final Counter trainerRuns;
    private final Counter trainerReleases;
    private final Counter trainerRejections;
    private final Counter expired;
    private final Counter deadLettersDropped;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private KafkaStreamsMetrics streamsMetrics;
    private volatile StoreQueries queries;
    private volatile String modelName;

    public SeismoMetrics() {
        judged = Counter.builder("seismo.readings.judged").description("Readings the detector judged").register(registry);
        step = Timer.builder("seismo.step.latency").description("The detector's work per reading: state read, step, state write")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        for (EpisodeTransition kind : EpisodeTransition.values()) {
            if (kind != EpisodeTransition.NONE) {
                events.put(kind, Counter.builder("seismo.anomaly.events").description("Anomaly events emitted, by kind")
                        .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry));
            }
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, Counter.builder("seismo.dead.letters").description("Records dead-lettered, by reason")
                    .tag("reason", reason.name()).register(registry));
        }
        for (RejectionReason reason : RejectionReason.values()) {
            modelRejections.put(reason, Counter.builder("seismo.model.rejections")
                    .description("Records of the models topic refused as releases (by the store, a detector task or the trainer), by reason")
                    .tag("reason", reason.name()).register(registry));
        }
        trainerRuns = Counter.builder("seismo.trainer.runs").description("Training runs started").register(registry);
        trainerReleases = Counter.builder("seismo.trainer.releases").description("Candidates published as releases").register(registry);
        trainerRejections = Counter.builder("seismo.trainer.rejections").description("Candidates refused by the validation gate")
                .register(registry);
        Gauge.builder("seismo.open.episodes", this, SeismoMetrics::openEpisodes)
                .description("Series with an episode open (an anomaly episode or a SILENT one), in this instance's partitions")
                .register(registry);
        Gauge.builder("seismo.series", this, SeismoMetrics::seriesCount)
                .description("Series in this instance's state stores").register(registry);
        deadLettersDropped = Counter.builder("seismo.dead.letters.dropped")
                .description("Records whose dead letter the broker refused even without their key and value bytes, logged and dropped")
                .register(registry);
        expired = Counter.builder("seismo.series.expired").description("Series deleted from the state store after state.ttl.ms idle")
                .register(registry);
        Gauge.builder("seismo.model.version", this, SeismoMetrics::modelVersion)
                .description("Version of the model release in force; 0 for the baseline forecaster").register(registry);
        Gauge.builder("seismo.model.age", this, SeismoMetrics::modelAgeSeconds).baseUnit("seconds")
                .description("Time since the release in force was published").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Also reports this detector: Kafka Streams' metrics, open episodes and the release of {@code model} in force. */
    public synchronized void bind(DetectorApp detector, String model) {
        if (streamsMetrics != null) {
            throw new IllegalStateException("a detector is bound already");
        }
        streamsMetrics = new KafkaStreamsMetrics(detector.streams());
        streamsMetrics.bindTo(registry);
        this.modelName = model;
        this.queries = detector.queries();
    }

    @Override
    public void judged(long nanos) {
        judged.increment();
        step.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void anomalyEvent(EpisodeTransition kind) {
        Counter c = events.get(kind);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void deadLettered(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    @Override
    public void modelRejected(RejectionReason reason) {
        modelRejections.get(reason).increment();
    }

    /** A training run started. */
    public void trainingStarted() {
        trainerRuns.increment();
    }

    /** A candidate was published. */
    public void released() {
        trainerReleases.increment();
    }

    /** A candidate was refused. */
    public void rejected() {
        trainerRejections.increment();
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry, e.g. to add meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private double openEpisodes() {
        StoreQueries q = queries;
        try {
            return q == null ? Double.NaN : q.counts().openEpisodes();
        } catch (RuntimeException notNow) {
            return Double.NaN;
        }
    }

    private double seriesCount() {
        StoreQueries q = queries;
        try {
            return q == null ? Double.NaN : q.counts().series();
        } catch (RuntimeException notNow) {
            return Double.NaN;
        }
    }

    @Override
    public void seriesExpired() {
        expired.increment();
    }

    @Override
    public void deadLetterDropped() {
        deadLettersDropped.increment();
    }

    private double modelVersion() {
        StoreQueries q = queries;
        try {
            return q == null ? Double.NaN : q.modelInForce(modelName).map(StoreQueries.ModelInForce::version).orElse(0L);
        } catch (RuntimeException notNow) {
            return Double.NaN;
        }
    }

    private double modelAgeSeconds() {
        StoreQueries q = queries;
        try {
            return q == null ? Double.NaN : q.modelInForce(modelName)
                    .map(m -> Duration.between(m.createdAt(), Instant.now()).toMillis() / 1000.0).orElse(Double.NaN);
        } catch (RuntimeException notNow) {
            return Double.NaN;
        }
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        gc.close();
        registry.close();
    }
}
