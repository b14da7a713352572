package io.seismo.score;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.train.ModelCatalog;
import io.seismo.train.SeriesPattern;

/**
 * {@code seismo score --topic}: a {@link Backfill} of a topic's time window under a run id of its own, starting from the
 * release in force (or, fresh, from the baseline forecaster), its topics made and removed as the engine needs, and its
 * report written.
 */
public final class BackfillService {
    /**
     * What to backfill.
     *
     * @param topic      the topic of readings
     * @param from       start of the window, included
     * @param to         end of the window, excluded
     * @param series     the series to score
     * @param fresh      start from the baseline forecaster instead of the release in force
     * @param batch      readings judged between two retraining checks
     * @param retrain    retrain on event time during the run
     * @param engine     who drives the topology
     * @param keepTopics keep a broker-driven run's topics after it
     * @param out        where result files, charts and report.html go
     * @param charts     whether to draw the charts and report.html
     * @param maxCharts  charts drawn at most
     */
    public record Request(String topic, Instant from, Instant to, SeriesPattern series, boolean fresh, int batch, boolean retrain,
                          ScoringRun.Engine engine, boolean keepTopics, Path out, boolean charts, int maxCharts) {
    }

    /**
     * What a backfill did.
     *
     * @param runId   the run's id, in its application id and topics
     * @param initial the release it started from, or null for the baseline forecaster
     * @param report  report.html, or null when not drawn (charts off, or nothing in the window)
     */
    public record Result(String runId, ModelRelease initial, Backfill.Outcome outcome, Path report) {
    }

    /** Hears how the backfill goes. */
    public interface Listener extends Backfill.Listener {
        /** The run is about to start from {@code initial} (null: the baseline forecaster). */
        default void starting(String runId, ModelRelease initial) {
        }

        /** Every reading of the window is judged (none, if it was empty), from {@code initial}; the report is drawn next. */
        default void scored(Backfill.Outcome outcome, ModelRelease initial) {
        }

        /** Something that does not fail the run, in one line: the run's topics could not be deleted, say. */
        default void warning(String line) {
        }
    }

    private BackfillService() {
    }

    /**
     * Runs one backfill.
     *
     * @param cluster the configuration, bootstrap servers resolved (the window is read from the cluster, the release in
     *                force from its models topic)
     */
    public static Result run(SeismoConfig cluster, Request request, Listener listener) {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        ModelRelease initial = null;
        if (!request.fresh()) {
            initial = new ModelCatalog(cluster, Duration.ofSeconds(30)).read(cluster.model().name()).latest().orElse(null);
        }
        listener.starting(runId, initial);
        ScoringRun.Options options = new ScoringRun.Options(request.batch(), request.retrain(), initial, request.engine());
        Backfill.Outcome outcome = Backfill.run(cluster, runId, new Backfill.Request(request.topic(), request.from(), request.to(),
                request.series(), initial, request.out(), options), BrokerRunTopics.forEngine(request.engine(), request.keepTopics(),
                listener::warning), listener);
        long readings = outcome.summary().readings();
        listener.scored(outcome, initial);
        Path report = null;
        if (request.charts() && readings > 0) {
            report = ScoreReport.writeRun(request.out(), List.of("Backfill of " + request.topic() + " [" + request.from() + ", "
                    + request.to() + "), " + outcome.entries().size() + " series, " + String.format(Locale.ROOT, "%,d", readings)
                    + " readings, starting from " + (initial == null ? "the baseline forecaster" : "release " + initial.getVersion()) + "."),
                    options, outcome.entries(), request.maxCharts());
        }
        return new Result(runId, initial, outcome, report);
    }
}
