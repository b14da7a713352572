package io.seismo.score;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.seismo.train.ReadingWindow;

/**
 * What {@code seismo score} is asked to do, checked once: score CSV files, each in a run of its own, or backfill a window
 * of a topic; and how the runs go. {@link #of} reads the options as given and refuses, in one line naming the option,
 * what cannot be run.
 *
 * @param files      CSV files or folders to score; empty for a backfill
 * @param backfill   the window to backfill, or null when scoring files
 * @param options    how each run goes
 * @param parallel   files scored at the same time
 * @param keepTopics whether a broker-driven run keeps its topics
 * @param charts     whether charts and report.html are drawn
 * @param maxCharts  charts drawn at most
 */
public record ScoreRequest(List<Path> files, BackfillService.Request backfill, ScoringRun.Options options, int parallel,
                           boolean keepTopics, boolean charts, int maxCharts) {
    public ScoreRequest {
        files = List.copyOf(files);
    }

    /** The options as the command line gives them, null where not given. */
    public record Given(List<Path> paths, String topic, String from, String to, String series, Path out, boolean fresh, boolean retrain,
                        int batch, String engine, boolean keepTopics, boolean noCharts, Integer parallel, int charts) {
    }

    /** Whether a window of a topic is backfilled rather than files scored. */
    public boolean backfills() {
        return backfill != null;
    }

    /**
     * The request {@code given} makes, its times read against {@code now}, {@code cores} files at a time unless it says
     * otherwise.
     *
     * @throws IllegalArgumentException naming the option that is missing, wrong or one too many
     */
    public static ScoreRequest of(Given given, Instant now, int cores) {
        if (given.topic() == null && given.paths().isEmpty()) {
            throw new IllegalArgumentException("give CSV files or folders to score, or --topic for a backfill");
        }
        if (given.topic() != null && !given.paths().isEmpty()) {
            throw new IllegalArgumentException("give either files or --topic, not both");
        }
        if (given.topic() != null && given.from() == null) {
            throw new IllegalArgumentException("--topic needs --from");
        }
        if (given.batch() < 1) {
            throw new IllegalArgumentException("--batch must be at least 1");
        }
        int parallel = given.parallel() == null ? cores : given.parallel();
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1");
        }
        ScoringRun.Engine engine;
        try {
            engine = ScoringRun.Engine.of(given.engine());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--engine: " + e.getMessage(), e);
        }
        ScoringRun.Options options = new ScoringRun.Options(given.batch(), given.retrain(), null, engine);
        BackfillService.Request backfill = null;
        if (given.topic() != null) {
            ReadingWindow window = ReadingWindow.of(given.from(), given.to(), given.series(), now);
            if (window.empty()) {
                throw new IllegalArgumentException("--from " + window.from() + " is not before --to " + window.to());
            }
            backfill = new BackfillService.Request(given.topic(), window.from(), window.to(), window.series(), given.fresh(), given.batch(),
                    given.retrain(), engine, given.keepTopics(), given.out(), !given.noCharts(), given.charts());
        }
        return new ScoreRequest(given.paths(), backfill, options, parallel, given.keepTopics(), !given.noCharts(), given.charts());
    }
}
