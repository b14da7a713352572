package io.seismo.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;
import io.seismo.schema.ModelRelease;
import io.seismo.score.Backfill;
import io.seismo.score.FileScoring;
import io.seismo.score.ScoreReport;
import io.seismo.score.ScoringRun;
import io.seismo.score.SeriesCsv;
import io.seismo.score.TopicWindow;
import io.seismo.stream.TopicPlan;
import io.seismo.train.ModelCatalog;
import io.seismo.train.SeriesPattern;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code seismo score}: runs history through the production topology under its own application id and topics, in
 * event time with retraining, and writes scored output and charts. From CSV files (one series per file, NAB's layout)
 * or, as a backfill, from a time window of a topic.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo score ../shared/nab-dev/data --out results", "  seismo score --topic readings --from 2026-01-01 --to 2026-01-08 --series \"pump-*\" --out backfill"},
        description = {"Scores history with the production topology, in event time, retraining included, under an isolated"
                + " application id and topics (production state and alerts are untouched), and writes one result CSV per series"
                + " (timestamp,value,anomaly_score,expected,lower,upper,error,threshold,alert,event,reason,model), a chart per series and report.html.",
                "From files: seismo score data/ --out results  (every CSV below data/, one series per file; results in NAB's"
                        + " layout results/seismo/<category>/seismo_<file>.csv; each file is scored on its own, with its own model).",
                "Backfill: seismo score --topic readings --from 2026-01-01 --to 2026-01-08 --out backfill  (every series in the"
                        + " window together, starting from the model in force unless --fresh).",
                "The same input gives the same scores and releases on every run."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:scored", "1:failed (one line on stderr says why)", "2:bad arguments"})
public final class ScoreCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "CSV files or folders (searched recursively) to score.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Backfill: the topic of readings to score a window of.")
    String topic;

    @Option(names = "--from", paramLabel = "TIME", description = "Backfill: start of the window, included (as for seismo replay).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now", description = "Backfill: end of the window, excluded (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--series", paramLabel = "PATTERN", description = "Backfill: series to score (glob, or /regex/); default every series.")
    String series;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where results, charts and report.html go.")
    Path out;

    @Option(names = "--fresh", description = "Backfill: start from the baseline forecaster instead of the release in force.")
    boolean fresh;

    @Option(names = "--retrain", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Retrain on event time during the run, as the trainer would (default: on; --no-retrain keeps the first"
                    + " model: the release in force for a backfill, the baseline forecaster for files, and publishes nothing).")
    boolean retrain;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
            description = "Readings judged between two retraining checks; a release is in force at most N readings after its"
                    + " training data ends (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "in-process",
            description = "Who drives the production topology: in-process (in this JVM, no broker round-trips: the default) or"
                    + " broker (a Kafka Streams application on the run's own topics, as seismo run does). Both give the same"
                    + " scores and releases (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--keep-topics", description = "Keep the run's topics instead of deleting them at the end.")
    boolean keepTopics;

    @Option(names = "--no-charts", description = "Skip the charts and report.html.")
    boolean noCharts;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Files scored at the same time, each in its own run (default: the cores available). Results do not depend on it.")
    Integer parallel;

    @Option(names = "--charts", paramLabel = "N", defaultValue = "200",
            description = "Charts drawn at most, for the series with the most alerts (default: ${DEFAULT-VALUE}).")
    int charts;

    @Option(names = {"-v", "--verbose"}, description = "Also show the detector's and trainer's logs.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private ProgressBar bar;

    @Override
    public Integer call() throws Exception {
        if (topic == null && paths.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give CSV files or folders to score, or --topic for a backfill");
        }
        if (topic != null && !paths.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either files or --topic, not both");
        }
        if (topic != null && from == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--topic needs --from");
        }
        if (batch < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1");
        }
        int threads = parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallel must be at least 1");
        }
        ScoringRun.Engine eng;
        try {
            eng = ScoringRun.Engine.of(engine);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--engine: " + e.getMessage(), e, null, engine);
        }
        if (!verbose) {
            // The command reports progress itself; keep Seismo's service logs to warnings and errors.
            Console.quietServiceLogs();
        }
        Files.createDirectories(out);
        SeismoConfig config = configOptions.load(Map.of());
        try {
            return topic == null ? scoreFiles(config, eng, threads) : backfill(config, eng);
        } finally {
            closeBar();
        }
    }

    private int scoreFiles(SeismoConfig config, ScoringRun.Engine eng, int threads) throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        List<SeriesCsv.Input> inputs = SeriesCsv.readAll(paths);
        if (inputs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no CSV files under " + paths);
        }
        long total = inputs.stream().mapToLong(SeriesCsv.Input::rows).sum();
        o.printf(Locale.ROOT, "scoring %d files, %,d rows, each in its own run (event time, %s, %s engine, %d at a time)%n", inputs.size(),
                total, retrain ? "retraining" : "no retraining", eng.label(), threads);
        o.flush();
        long began = System.nanoTime();
        List<FileScoring.FileResult> results;
        // In process nothing needs a broker; the broker engine gets the configured cluster or an embedded one.
        try (Cluster cluster = eng == ScoringRun.Engine.BROKER ? Cluster.connect(config, true) : null) {
            SeismoConfig base = cluster == null ? config : cluster.config();
            progress("score", total);
            ProgressBar current = bar;
            results = FileScoring.run(base, new FileScoring.Request(inputs, out, new ScoringRun.Options(batch, retrain, null, eng), threads),
                    eng == ScoringRun.Engine.BROKER ? runTopics() : FileScoring.RunTopics.NONE, current::stepTo);
        }
        closeBar();
        List<String[]> table = new ArrayList<>();
        List<ScoreReport.Entry> entries = new ArrayList<>();
        Duration judging = Duration.ZERO;
        Duration training = Duration.ZERO;
        for (FileScoring.FileResult r : results) {
            ScoringRun.Summary s = r.summary();
            entries.add(r.entry());
            judging = judging.plus(s.judging());
            training = training.plus(s.training());
            table.add(new String[] {r.input().series(), count(r.input().rows()), count(s.deadLetters()), count(r.entry().alerts()),
                    count(r.entry().episodes()), count(s.releases().size()), seconds(s.elapsed())});
        }
        printTable(o, table);
        printSplit(o, total, judging, training, began);
        finish(o, entries, List.of("Files: " + paths + "; " + inputs.size() + " series, " + count(total) + " rows."), began);
        return 0;
    }

    private int backfill(SeismoConfig config, ScoringRun.Engine eng) throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Instant now = Instant.now();
        Instant start = time("--from", from, now);
        Instant end = time("--to", to, now);
        if (!start.isBefore(end)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from " + start + " is not before --to " + end);
        }
        SeriesPattern pattern;
        try {
            pattern = series == null ? SeriesPattern.ALL : SeriesPattern.of(series);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--series: " + e.getMessage(), e, null, series);
        }
        long began = System.nanoTime();
        try (Cluster cluster = Cluster.connect(config, false)) {
            SeismoConfig c = cluster.config();
            String runId = shortId();
            ModelRelease initial = null;
            if (!fresh) {
                initial = new ModelCatalog(c, Duration.ofSeconds(30)).read(c.model().name()).latest().orElse(null);
            }
            o.printf("backfill %s [%s, %s) of %s on %s, starting from %s, as application seismo-backfill-%s-app (%s engine)%n", topic, start,
                    end, pattern.all() ? "every series" : "series " + pattern, c.cluster().bootstrapServers(),
                    initial == null ? "the baseline forecaster" : "release " + initial.getVersion() + " of model '" + c.model().name() + "'",
                    runId, eng.label());
            o.flush();
            Backfill.Outcome outcome = Backfill.run(c, runId, new Backfill.Request(topic, start, end, pattern, initial, out,
                    new ScoringRun.Options(batch, retrain, initial, eng)), eng == ScoringRun.Engine.BROKER ? runTopics() : FileScoring.RunTopics.NONE,
                    new Backfill.Listener() {
                        @Override
                        public void planned(int partitions, long offsets) {
                            progress("score", offsets);
                        }

                        @Override
                        public void advanced(long judged, long total) {
                            bar.stepTo(judged);
                        }
                    });
            if (bar != null) {
                bar.maxHint(outcome.summary().readings());
            }
            closeBar();
            TopicWindow.Counts w = outcome.window();
            ScoringRun.Summary s = outcome.summary();
            if (s.readings() == 0) {
                o.println("no readings in the window: nothing to score");
                return 0;
            }
            o.printf(Locale.ROOT, "read %,d records of the window from %d of %d partitions: %,d readings scored, %,d of other series, %,d"
                    + " undecodable, %,d outside the window%n", w.read(), w.partitions(), w.topicPartitions(), s.readings(), w.filtered(),
                    w.undecodable(), w.outsideWindow());
            List<String[]> table = new ArrayList<>();
            for (ScoreReport.Entry e : outcome.entries().stream().limit(50).toList()) {
                table.add(new String[] {e.series(), count(e.rows()), "", count(e.alerts()), count(e.episodes()), count(e.releases()), ""});
            }
            printTable(o, table);
            if (outcome.entries().size() > table.size()) {
                o.printf(Locale.ROOT, "... and %,d more series (report.html lists every one)%n", outcome.entries().size() - table.size());
            }
            o.printf(Locale.ROOT, "dead letters %,d; releases during the run %d (refused %d); production topics and state untouched%n",
                    s.deadLetters(), s.releases().size() - (initial == null ? 0 : 1), s.refusals());
            printSplit(o, s.readings(), s.judging(), s.training(), began);
            finish(o, outcome.entries(), List.of("Backfill of " + topic + " [" + start + ", " + end + "), " + outcome.entries().size()
                    + " series, " + count(s.readings()) + " readings, starting from " + (initial == null ? "the baseline forecaster"
                    : "release " + initial.getVersion()) + "."), began);
        }
        return 0;
    }

    /** Topics of a broker-driven run: created before it (kept while it runs), deleted after it unless --keep-topics. */
    private FileScoring.RunTopics runTopics() {
        return new FileScoring.RunTopics() {
            @Override
            public void create(SeismoConfig run) {
                TopicAdmin.ensureTopics(run.clientConfig(), TopicPlan.of(run).stream().map(ScoreCommand::keptWhileRunning).toList(),
                        Duration.ofSeconds(60));
            }

            @Override
            public void delete(SeismoConfig run, String prefix) {
                cleanUp(run, prefix);
            }
        };
    }

    private void cleanUp(SeismoConfig config, String prefix) {
        if (keepTopics) {
            return;
        }
        try {
            TopicAdmin.deleteTopicsWithPrefix(config.clientConfig(), prefix, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("could not delete the run's topics (" + prefix + "*): " + e.getMessage());
        }
    }

    /** Where the time went: judging (the topology) against training (the trainer's runs), and the overall rate. */
    private static void printSplit(PrintWriter o, long readings, Duration judging, Duration training, long began) {
        double wall = (System.nanoTime() - began) / 1e9;
        double j = judging.toNanos() / 1e9;
        double t = training.toNanos() / 1e9;
        o.printf(Locale.ROOT, "%,d readings in %.1f s: %,.0f readings/s; time in runs: judging %.1f s (%,.0f readings/s), training %.1f s"
                + " (%.0f%%)%n", readings, wall, readings / Math.max(wall, 1e-9), j, readings / Math.max(j, 1e-9), t,
                100 * t / Math.max(j + t, 1e-9));
    }

    private void finish(PrintWriter o, List<ScoreReport.Entry> entries, List<String> facts, long began) {
        if (!noCharts) {
            List<String> all = new ArrayList<>(facts);
            all.add("Event time, batch " + batch + ", " + (retrain ? "retraining" : "no retraining") + ", " + engine + " engine.");
            Path report = ScoreReport.write(out, "Seismo scores", all, entries, charts);
            o.println("report: " + report.toAbsolutePath());
        }
        o.printf(Locale.ROOT, "results: %s (%.1f s)%n", out.resolve(SeriesCsv.DETECTOR).toAbsolutePath(), (System.nanoTime() - began) / 1e9);
        o.flush();
    }

    private void printTable(PrintWriter o, List<String[]> rows) {
        o.printf(Locale.ROOT, "%-48s %9s %7s %7s %9s %9s %8s%n", "series", "rows", "dead", "alerts", "episodes", "releases", "time");
        for (String[] r : rows) {
            o.printf(Locale.ROOT, "%-48s %9s %7s %7s %9s %9s %8s%n", (Object[]) r);
        }
        o.flush();
    }

    private void progress(String name, long total) {
        closeBar();
        bar = Console.bar(spec, name, total, " readings", true);
    }

    private void closeBar() {
        bar = Console.close(spec, bar);
    }

    private Instant time(String option, String text, Instant now) {
        return Console.time(spec, option, text, now);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }


    /**
     * A run's private topics carry the readings' own (often old) event times; under the broker's default time-based
     * retention (seven days) a record older than that is deleted at the broker's next retention check, possibly before
     * the run has read it back. They are deleted at the end of the run, so they keep everything until then.
     */
    private static TopicSpec keptWhileRunning(TopicSpec spec) {
        return "compact".equals(spec.configs().get("cleanup.policy")) ? spec : spec.withConfig("retention.ms", "-1");
    }
}
