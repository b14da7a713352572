package io.seismo.score;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.train.SeriesPattern;

/**
 * Scores a time window of a readings topic, every series of it together, under its own namespace (application id,
 * state directory and, for the broker engine, topics), starting from a given release or the baseline: production
 * state, alerts and models are never touched. The window is streamed: its partitions are read at once and merged in
 * event-time order ({@link TopicWindow}), and each series' results are written as they come ({@link SeriesFiles}), so
 * a window of any size runs in bounded memory.
 */
public final class Backfill {
    /** Result files open at once. */
    private static final int OPEN_FILES = 256;

    /** What to backfill. */
    public record Request(String topic, Instant from, Instant to, SeriesPattern series, ModelRelease initial, Path out,
                          ScoringRun.Options options) {
    }

    /** Hears how far the backfill is. */
    public interface Listener extends ScoringRun.Progress {
        /** The window is planned: this many offsets over this many partitions. */
        default void planned(int partitions, long offsets) {
        }
    }

    /** What a backfill did. */
    public record Outcome(TopicWindow.Counts window, ScoringRun.Summary summary, List<ScoreReport.Entry> entries, String prefix) {
    }

    private Backfill() {
    }

    /**
     * Runs one backfill.
     *
     * @param base   the configuration, bootstrap servers resolved (the window is read from the cluster)
     * @param topics what a broker-driven run needs of its topics
     */
    public static Outcome run(SeismoConfig base, String runId, Request request, FileScoring.RunTopics topics, Listener listener) {
        String prefix = "seismo-backfill-" + runId + "-";
        Path state = ScoringRun.stateDirectory();
        SeismoConfig cfg = ScoringRun.isolated(base, prefix, state, base.topics().partitions());
        try (TopicWindow window = new TopicWindow(base.clientConfig(), request.topic(), request.from(), request.to(), request.series(),
                Duration.ofSeconds(120));
             SeriesFiles files = new SeriesFiles(request.out(), SeriesCsv.fileName(request.topic()), OPEN_FILES)) {
            listener.planned(window.partitions(), window.offsets());
            topics.create(cfg);
            ScoringRun.Summary summary = ScoringRun.run(cfg, window, window.offsets(), request.options(), listener, files);
            files.close();
            List<ScoreReport.Entry> entries = new ArrayList<>();
            long releases = summary.releases().size();
            files.counts().forEach((series, c) -> entries.add(new ScoreReport.Entry(series,
                    request.out().resolve("charts").resolve(SeriesCsv.fileName(series) + ".png"), c.file(), c.rows(), c.scored(),
                    c.alerts(), c.episodes(), releases, c.maxScore())));
            return new Outcome(window.counts(), summary, entries, prefix);
        } finally {
            topics.delete(cfg, prefix);
            FileScoring.deleteQuietly(state);
        }
    }
}
