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
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ModelRelease;
import io.seismo.score.ScoreReport;
import io.seismo.score.ScoringRun;
import io.seismo.score.SeriesCsv;
import io.seismo.train.ModelCatalog;
import io.seismo.train.Replayer;
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
                + " (timestamp,value,anomaly_score,expected,lower,upper,error,threshold,alert), a chart per series and report.html.",
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

    @Option(names = "--no-retrain", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Retrain on event time during the run, as the trainer would (default: on; --no-retrain keeps the first model).")
    boolean retrain;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
            description = "Readings sent between two retraining checks; a release is in force at most N readings after its"
                    + " training data ends (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--keep-topics", description = "Keep the run's topics instead of deleting them at the end.")
    boolean keepTopics;

    @Option(names = "--no-charts", description = "Skip the charts and report.html.")
    boolean noCharts;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
            description = "Files scored at the same time, each in its own run (default: ${DEFAULT-VALUE}). Results do not depend on it.")
    int parallel;

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
        if (parallel < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallel must be at least 1");
        }
        if (!verbose) {
            // The command reports progress itself; keep Seismo's service logs to warnings and errors.
            Console.quietServiceLogs();
        }
        Files.createDirectories(out);
        SeismoConfig config = configOptions.load(Map.of());
        try {
            return topic == null ? scoreFiles(config) : backfill(config);
        } finally {
            closeBar();
        }
    }

    private int scoreFiles(SeismoConfig config) throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        List<SeriesCsv.Input> inputs = SeriesCsv.readAll(paths);
        if (inputs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no CSV files under " + paths);
        }
        long total = inputs.stream().mapToLong(SeriesCsv.Input::rows).sum();
        o.printf(Locale.ROOT, "scoring %d files, %,d rows, each in its own run (event time, %s)%n", inputs.size(), total,
                retrain ? "retraining" : "no retraining");
        o.flush();
        String runId = shortId();
        long began = System.nanoTime();
        List<ScoreReport.Entry> entries = new ArrayList<>();
        List<String[]> table = new ArrayList<>();
        try (Cluster cluster = Cluster.connect(config, true)) {
            progress("score", total);
            java.util.concurrent.atomic.AtomicLong judgedSoFar = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(parallel, inputs.size()));
            List<java.util.concurrent.Future<ScoringRun.Result>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < inputs.size(); i++) {
                    SeriesCsv.Input input = inputs.get(i);
                    String prefix = "seismo-score-" + runId + "-" + i + "-";
                    futures.add(pool.submit(() -> runIsolated(cluster.config(), prefix, 1, List.of(input.toSeriesInput()), null, judgedSoFar)));
                }
                for (int i = 0; i < inputs.size(); i++) {
                    SeriesCsv.Input input = inputs.get(i);
                    ScoringRun.Result result;
                    try {
                        result = futures.get(i).get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("scoring " + input.file() + " failed: " + e.getCause().getMessage(), e.getCause());
                    }
                    Path target = SeriesCsv.resultPath(out, input);
                    SeriesCsv.writeResult(target, input, result.scores().get(input.series()));
                    ScoreReport.Entry e = entry(input.series(), input.rows(), result, out.resolve("charts").resolve(input.series() + ".png"));
                    entries.add(e);
                    table.add(new String[] {input.series(), count(input.rows()), count(result.deadLetters()), count(e.alerts()),
                            count(e.episodes()), count(result.releases().size()), seconds(result.elapsed())});
                }
            } finally {
                pool.shutdownNow();
            }
        }
        closeBar();
        printTable(o, table);
        finish(o, entries, List.of("Files: " + paths + "; " + inputs.size() + " series, " + count(total) + " rows."), began);
        return 0;
    }

    private int backfill(SeismoConfig config) throws Exception {
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
            String prefix = "seismo-backfill-" + runId + "-";
            String staging = prefix + "source";
            ModelRelease initial = null;
            if (!fresh) {
                initial = new ModelCatalog(c, Duration.ofSeconds(30)).read(c.model().name()).latest().orElse(null);
            }
            o.printf("backfill %s [%s, %s) of %s on %s, starting from %s, as application %sapp%n", topic, start, end,
                    pattern.all() ? "every series" : "series " + pattern, c.cluster().bootstrapServers(),
                    initial == null ? "the baseline forecaster" : "release " + initial.getVersion() + " of model '" + c.model().name() + "'",
                    prefix);
            o.flush();
            List<ScoringRun.SeriesInput> inputs;
            try {
                TopicAdmin.ensureTopics(c.clientConfig(), List.of(keptWhileRunning(TopicSpec.of(staging, c.topics().partitions()))),
                        Duration.ofSeconds(60));
                Replayer.Summary copied = new Replayer(c.clientConfig(), Duration.ofSeconds(60))
                        .replay(new Replayer.Request(topic, start, end, pattern, staging), copyProgress());
                closeBar();
                o.printf(Locale.ROOT, "copied %,d readings of the window from %d of %d partitions (%,d read, %,d of other series, %,d"
                        + " undecodable)%n", copied.written(), copied.partitions(), copied.topicPartitions(), copied.read(), copied.filtered(),
                        copied.undecodable());
                inputs = ScoringRun.readSeries(c, staging);
            } catch (RuntimeException e) {
                cleanUp(c, prefix);
                throw e;
            }
            long total = inputs.stream().mapToLong(in -> in.values().length).sum();
            if (total == 0) {
                cleanUp(c, prefix);
                o.println("no readings in the window: nothing to score");
                return 0;
            }
            progress("score", total);
            ScoringRun.Result result = runIsolated(c, prefix, c.topics().partitions(), inputs, initial,
                    new java.util.concurrent.atomic.AtomicLong());
            closeBar();
            List<ScoreReport.Entry> entries = new ArrayList<>();
            List<String[]> table = new ArrayList<>();
            for (ScoringRun.SeriesInput in : inputs) {
                SeriesCsv.Input asCsv = asCsv(topic, in);
                SeriesCsv.writeResult(SeriesCsv.resultPath(out, asCsv), asCsv, result.scores().get(in.series()));
                ScoreReport.Entry e = entry(in.series(), in.values().length, result, out.resolve("charts").resolve(safe(in.series()) + ".png"));
                entries.add(e);
                table.add(new String[] {in.series(), count(in.values().length), "", count(e.alerts()), count(e.episodes()),
                        count(result.releases().size()), ""});
            }
            printTable(o, table);
            o.printf(Locale.ROOT, "dead letters %,d; releases during the run %d (refused %d); production topics and state untouched%n",
                    result.deadLetters(), result.releases().size() - (initial == null ? 0 : 1), result.refusals());
            finish(o, entries, List.of("Backfill of " + topic + " [" + start + ", " + end + "), " + inputs.size() + " series, "
                    + count(total) + " readings, starting from " + (initial == null ? "the baseline forecaster"
                    : "release " + initial.getVersion()) + "."), began);
        }
        return 0;
    }

    private ScoringRun.Result runIsolated(SeismoConfig base, String prefix, int partitions, List<ScoringRun.SeriesInput> inputs,
                                          ModelRelease initial, java.util.concurrent.atomic.AtomicLong judgedSoFar) {
        Path state = ScoringRun.stateDirectory();
        SeismoConfig cfg = ScoringRun.isolated(base, prefix, state, partitions);
        try {
            TopicAdmin.ensureTopics(cfg.clientConfig(), TopicPlan.of(cfg).stream().map(ScoreCommand::keptWhileRunning).toList(),
                    Duration.ofSeconds(60));
            ProgressBar current = bar;
            long[] last = {0};
            return ScoringRun.run(cfg, inputs, new ScoringRun.Options(batch, retrain, initial), (judged, total) -> {
                current.stepTo(judgedSoFar.addAndGet(judged - last[0]));
                last[0] = judged;
            });
        } finally {
            cleanUp(cfg, prefix);
            Console.deleteQuietly(state);
        }
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

    private static ScoreReport.Entry entry(String seriesId, int rows, ScoringRun.Result result, Path chart) {
        var scored = result.scores().getOrDefault(seriesId, List.of());
        long episodes = result.events().stream()
                .filter(ev -> ev.getSeries().equals(seriesId) && ev.getKind() == EpisodeEventKind.OPENED).count();
        return new ScoreReport.Entry(seriesId, chart, rows, scored, episodes, result.releases().size(), List.of());
    }

    private void finish(PrintWriter o, List<ScoreReport.Entry> entries, List<String> facts, long began) {
        if (!noCharts) {
            List<String> all = new ArrayList<>(facts);
            all.add("Event time, batch " + batch + ", " + (retrain ? "retraining" : "no retraining") + ".");
            Path report = ScoreReport.write(out, "Seismo scores", all, entries);
            o.println("report: " + report.toAbsolutePath());
        }
        o.printf(Locale.ROOT, "results: %s (%.1f s)%n", out.resolve(SeriesCsv.DETECTOR).toAbsolutePath(), (System.nanoTime() - began) / 1e9);
        o.flush();
    }

    static SeriesCsv.Input asCsv(String category, ScoringRun.SeriesInput in) {
        String[] raw = new String[in.timestamps().length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = Instant.ofEpochMilli(in.timestamps()[i]).toString();
        }
        return new SeriesCsv.Input(Path.of(in.series()), safe(category), safe(in.series()), raw, in.timestamps(), in.values());
    }

    /** A series id as a file name: characters other than letters, digits, '.', '_' and '-' become '_'. */
    static String safe(String id) {
        String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 150 ? s.substring(0, 150) : s;
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

    private Replayer.Progress copyProgress() {
        return new Replayer.Progress() {
            @Override
            public void planned(int partitions, long offsets) {
                progress("copy", offsets);
            }

            @Override
            public void advanced(long offsetsRead) {
                bar.stepTo(offsetsRead);
            }
        };
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
