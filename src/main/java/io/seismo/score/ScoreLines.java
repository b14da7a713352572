package io.seismo.score;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;

/**
 * What {@code seismo score} prints: what it is about to score, a row per series, where the time went (judging against
 * training) and where the results are.
 */
public final class ScoreLines {
    private ScoreLines() {
    }

    /** Before scoring files. */
    public static void filesStarting(PrintWriter o, int files, long rows, ScoringRun.Options options, int parallel) {
        o.printf(Locale.ROOT, "scoring %d files, %,d rows, each in its own run (event time, %s, %s engine, %d at a time)%n", files,
                rows, options.retrain() ? "retraining" : "no retraining", options.engine().label(), parallel);
        o.flush();
    }

    /** After scoring files ({@code rows} in all, since {@code began}): a row per file, and where the time went. */
    public static void files(PrintWriter o, List<FileScoring.FileResult> results, long rows, long began) {
        List<String[]> table = new ArrayList<>();
        Duration judging = Duration.ZERO;
        Duration training = Duration.ZERO;
        for (FileScoring.FileResult r : results) {
            ScoringRun.Summary s = r.summary();
            judging = judging.plus(s.judging());
            training = training.plus(s.training());
            table.add(new String[] {r.input().series(), count(r.input().rows()), count(s.deadLetters()), count(r.entry().alerts()),
                    count(r.entry().episodes()), count(s.releases().size()), seconds(s.elapsed())});
        }
        table(o, table);
        split(o, rows, judging, training, began);
    }

    /** Before a backfill: the window and its series, the cluster, the release it starts from and its application id. */
    public static void backfillStarting(PrintWriter o, BackfillService.Request r, SeismoConfig cluster, String runId,
                                        ModelRelease initial) {
        o.printf("backfill %s [%s, %s) of %s on %s, starting from %s, as application seismo-backfill-%s-app (%s engine)%n", r.topic(),
                r.from(), r.to(), r.series().all() ? "every series" : "series " + r.series(), cluster.cluster().bootstrapServers(),
                initial == null ? "the baseline forecaster" : "release " + initial.getVersion() + " of model '" + cluster.model().name() + "'",
                runId, r.engine().label());
        o.flush();
    }

    /**
     * After a backfill from {@code initial} (started at {@code began}): what was read of the window, a row for each of the
     * first 50 series, dead letters and releases, and where the time went; or that the window was empty.
     */
    public static void backfill(PrintWriter o, Backfill.Outcome outcome, ModelRelease initial, long began) {
        TopicWindow.Counts w = outcome.window();
        ScoringRun.Summary s = outcome.summary();
        if (s.readings() == 0) {
            o.println("no readings in the window: nothing to score");
            o.flush();
            return;
        }
        o.printf(Locale.ROOT, "read %,d records of the window from %d of %d partitions: %,d readings scored, %,d of other series, %,d"
                + " undecodable, %,d outside the window%n", w.read(), w.partitions(), w.topicPartitions(), s.readings(), w.filtered(),
                w.undecodable(), w.outsideWindow());
        List<String[]> table = new ArrayList<>();
        for (ScoreReport.Entry e : outcome.entries().stream().limit(50).toList()) {
            table.add(new String[] {e.series(), count(e.rows()), "", count(e.alerts()), count(e.episodes()), count(e.releases()), ""});
        }
        table(o, table);
        if (outcome.entries().size() > table.size()) {
            o.printf(Locale.ROOT, "... and %,d more series (report.html lists every one)%n", outcome.entries().size() - table.size());
        }
        o.printf(Locale.ROOT, "dead letters %,d; releases during the run %d (refused %d); production topics and state untouched%n",
                s.deadLetters(), s.releases().size() - (initial == null ? 0 : 1), s.refusals());
        split(o, s.readings(), s.judging(), s.training(), began);
    }

    /** Where report.html (null: not drawn) and the results are, and how long it all took since {@code began}. */
    public static void finish(PrintWriter o, Path report, Path out, long began) {
        if (report != null) {
            o.println("report: " + report.toAbsolutePath());
        }
        o.printf(Locale.ROOT, "results: %s (%.1f s)%n", out.resolve(SeriesCsv.DETECTOR).toAbsolutePath(), (System.nanoTime() - began) / 1e9);
        o.flush();
    }

    /** Where the time went: judging (the topology) against training (the trainer's runs), and the overall rate. */
    private static void split(PrintWriter o, long readings, Duration judging, Duration training, long began) {
        double wall = (System.nanoTime() - began) / 1e9;
        double j = judging.toNanos() / 1e9;
        double t = training.toNanos() / 1e9;
        o.printf(Locale.ROOT, "%,d readings in %.1f s: %,.0f readings/s; time in runs: judging %.1f s (%,.0f readings/s), training %.1f s"
                + " (%.0f%%)%n", readings, wall, readings / Math.max(wall, 1e-9), j, readings / Math.max(j, 1e-9), t,
                100 * t / Math.max(j + t, 1e-9));
    }

    private static void table(PrintWriter o, List<String[]> rows) {
        o.printf(Locale.ROOT, "%-48s %9s %7s %7s %9s %9s %8s%n", "series", "rows", "dead", "alerts", "episodes", "releases", "time");
        for (String[] r : rows) {
            o.printf(Locale.ROOT, "%-48s %9s %7s %7s %9s %9s %8s%n", (Object[]) r);
        }
        o.flush();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
