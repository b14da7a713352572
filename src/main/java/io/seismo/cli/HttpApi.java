package io.seismo.cli;

import java.time.Duration;
import java.util.List;

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
        server.watchHealth(HealthProbe.of(detector));
        return detector;
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
