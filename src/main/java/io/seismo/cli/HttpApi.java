package io.seismo.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.seismo.api.ApiServer;
import io.seismo.api.HealthProbe;
import io.seismo.api.ModelLineage;
import io.seismo.api.SeismoMetrics;
import io.seismo.config.SeismoConfig;
import io.seismo.release.RejectionReason;
import io.seismo.schema.ModelRelease;
import io.seismo.stream.DetectorApp;
import io.seismo.train.ModelCatalog;
import io.seismo.train.TrainerListener;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The HTTP API and metrics of a command that runs the detector: started before the detector (which advertises the
 * server's address to the other instances), closed after it. With http.enabled=false it serves nothing and the
 * detector runs as before.
 */
final class HttpApi implements AutoCloseable {
    /** How long a listing of the model releases is reused. */
    private static final Duration LINEAGE_TTL = Duration.ofSeconds(5);

    private final SeismoMetrics metrics;
    private final ApiServer server;

    private HttpApi(SeismoMetrics metrics, ApiServer server) {
        this.metrics = metrics;
        this.server = server;
    }

    /** Starts the server when the configuration enables it. */
    static HttpApi start(SeismoConfig config) {
        if (!config.http().enabled()) {
            return new HttpApi(null, null);
        }
        SeismoMetrics metrics = new SeismoMetrics();
        try {
            return new HttpApi(metrics, ApiServer.start(config, metrics, lineage(config)));
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** The server's URL, or null when it is off. */
    String url() {
        return server == null ? null : server.url();
    }

    /** A detector reporting to the metrics and served by the API (not started). */
    DetectorApp detector(SeismoConfig config) {
        if (server == null) {
            return new DetectorApp(config);
        }
        DetectorApp detector = new DetectorApp(config, server.detectorMetrics(), server.applicationServer());
        server.attach(detector);
        server.watchHealth(health(detector));
        return detector;
    }

    /** What GET /healthz reports of {@code detector}: unhealthy once it has failed for good. */
    static HealthProbe health(DetectorApp detector) {
        return () -> health(detector.streams().state(), detector.replacementsExhausted(), detector.threadReplacements());
    }

    /** As {@link #health(KafkaStreams.State)}, and unhealthy too once stream threads were replaced as often as allowed. */
    static Optional<String> health(KafkaStreams.State state, boolean replacementsExhausted, int replacements) {
        Optional<String> failed = health(state);
        if (failed.isPresent() || !replacementsExhausted) {
            return failed;
        }
        return Optional.of("stream threads failed and were replaced " + replacements
                + " times, the limit (stream.thread.replacements.max): the detector stops at the next failure");
    }

    /**
     * Why the detector in {@code state} has failed for good, or empty: ERROR (every stream thread died) and
     * PENDING_ERROR (on its way there) are failures; so is NOT_RUNNING, which the detector reaches only once closed (a
     * process whose detector stopped serves nothing more). CREATED, REBALANCING, RUNNING and PENDING_SHUTDOWN (a normal
     * stop) are not: readiness (/readyz) covers whether it processes now.
     */
    static Optional<String> health(KafkaStreams.State state) {
        return switch (state) {
            case ERROR, PENDING_ERROR -> Optional.of("the detector is " + state + ": its stream threads have died");
            case NOT_RUNNING -> Optional.of("the detector is " + state + ": it has stopped");
            default -> Optional.empty();
        };
    }

    /** {@code listener}, also counting the trainer's runs, releases and refusals. */
    TrainerListener counting(TrainerListener listener) {
        if (metrics == null) {
            return listener;
        }
        return new TrainerListener() {
            @Override
            public void trainingStarted(int series, long samples) {
                metrics.trainingStarted();
                listener.trainingStarted(series, samples);
            }

            @Override
            public void epochEnded(int epoch, int maxEpochs) {
                listener.epochEnded(epoch, maxEpochs);
            }

            @Override
            public void released(ModelRelease release) {
                metrics.released();
                listener.released(release);
            }

            @Override
            public void rejected(String reason) {
                metrics.rejected();
                listener.rejected(reason);
            }

            @Override
            public void releaseRefused(RejectionReason reason) {
                metrics.modelRejected(reason);
                listener.releaseRefused(reason);
            }

            @Override
            public void failed(RuntimeException failure) {
                listener.failed(failure);
            }
        };
    }

    /** The model's releases from the models topic, read again at most every {@link #LINEAGE_TTL}. */
    private static ModelLineage lineage(SeismoConfig config) {
        ModelCatalog catalog = new ModelCatalog(config, Duration.ofSeconds(10));
        return new ModelLineage() {
            private List<ModelRelease> cached = List.of();
            private long readAt = Long.MIN_VALUE;

            @Override
            public synchronized List<ModelRelease> releases() {
                long now = System.nanoTime();
                if (readAt == Long.MIN_VALUE || now - readAt > LINEAGE_TTL.toNanos()) {
                    cached = catalog.read(config.model().name()).releases();
                    readAt = now;
                }
                return cached;
            }
        };
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
