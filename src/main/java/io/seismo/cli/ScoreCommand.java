package io.seismo.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.score.Backfill;
import io.seismo.score.BackfillService;
import io.seismo.score.BrokerRunTopics;
import io.seismo.score.FileScoring;
import io.seismo.score.ScoreLines;
import io.seismo.score.ScoreReport;
import io.seismo.score.ScoringRun;
import io.seismo.score.SeriesCsv;
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
        SeismoConfig config = configOptions.load();
        try {
            return topic == null ? scoreFiles(config, eng, threads) : backfill(config, eng);
        } finally {
            bar = Console.close(spec, bar);
        }
    }

    private int scoreFiles(SeismoConfig config, ScoringRun.Engine eng, int threads) throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        List<SeriesCsv.Input> inputs = SeriesCsv.readAll(paths);
        if (inputs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no CSV files under " + paths);
        }
        long total = inputs.stream().mapToLong(SeriesCsv.Input::rows).sum();
        ScoringRun.Options options = new ScoringRun.Options(batch, retrain, null, eng);
        ScoreLines.filesStarting(o, inputs.size(), total, options, threads);
        long began = System.nanoTime();
        List<FileScoring.FileResult> results;
        // In process nothing needs a broker; the broker engine gets the configured cluster or an embedded one.
        try (Cluster cluster = eng == ScoringRun.Engine.BROKER ? Cluster.connect(config, true) : null) {
            ProgressBar current = progress(total);
            results = FileScoring.run(cluster == null ? config : cluster.config(), new FileScoring.Request(inputs, out, options, threads),
                    BrokerRunTopics.forEngine(eng, keepTopics, this::warn), current::stepTo);
        }
        bar = Console.close(spec, bar);
        ScoreLines.files(o, results, total, began);
        List<ScoreReport.Entry> entries = results.stream().map(FileScoring.FileResult::entry).toList();
        Path report = noCharts ? null : ScoreReport.writeRun(out, List.of("Files: " + paths + "; " + inputs.size() + " series, "
                + String.format(Locale.ROOT, "%,d", total) + " rows."), options, entries, charts);
        ScoreLines.finish(o, report, out, began);
        return 0;
    }

    private int backfill(SeismoConfig config, ScoringRun.Engine eng) {
        PrintWriter o = spec.commandLine().getOut();
        Instant now = Instant.now();
        Instant start = Console.time(spec, "--from", from, now);
        Instant end = Console.time(spec, "--to", to, now);
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
            BackfillService.Request request = new BackfillService.Request(topic, start, end, pattern, fresh, batch, retrain, eng, keepTopics,
                    out, !noCharts, charts);
            BackfillService.Result result = BackfillService.run(cluster.config(), request, new BackfillService.Listener() {
                @Override
                public void starting(String runId, ModelRelease initial) {
                    ScoreLines.backfillStarting(o, request, cluster.config(), runId, initial);
                }

                @Override
                public void planned(int partitions, long offsets) {
                    progress(offsets);
                }

                @Override
                public void advanced(long judged, long total) {
                    bar.stepTo(judged);
                }

                @Override
                public void scored(Backfill.Outcome outcome, ModelRelease initial) {
                    if (bar != null) {
                        bar.maxHint(outcome.summary().readings());
                    }
                    bar = Console.close(spec, bar);
                    ScoreLines.backfill(o, outcome, initial, began);
                }

                @Override
                public void warning(String line) {
                    warn(line);
                }
            });
            if (result.outcome().summary().readings() > 0) {
                ScoreLines.finish(o, result.report(), out, began);
            }
        }
        return 0;
    }

    /** A progress bar of {@code total} readings on stderr, in place of the one before. */
    private ProgressBar progress(long total) {
        bar = Console.close(spec, bar);
        bar = Console.bar(spec, "score", total, " readings", true);
        return bar;
    }

    private void warn(String line) {
        spec.commandLine().getErr().println(line);
    }
}
