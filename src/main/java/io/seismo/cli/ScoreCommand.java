package io.seismo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.seismo.config.SeismoConfig;
import io.seismo.score.BackfillService;
import io.seismo.score.BrokerRunTopics;
import io.seismo.score.FileScoring;
import io.seismo.score.ScoreLines;
import io.seismo.score.ScoreReport;
import io.seismo.score.ScoreRequest;
import io.seismo.score.ScoringRun;
import io.seismo.score.SeriesCsv;
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

    @Mixin
    BackfillOptions window;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where results, charts and report.html go.")
    Path out;

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

    @Override
    public Integer call() throws Exception {
        ScoreRequest request = request();
        if (!verbose) {
            // The command reports progress itself; keep Seismo's service logs to warnings and errors.
            Console.quietServiceLogs();
        }
        Files.createDirectories(out);
        SeismoConfig config = configOptions.load();
        try (ScoreConsole console = new ScoreConsole(spec)) {
            return request.backfills() ? backfill(config, request, console) : scoreFiles(config, request, console);
        }
    }

    /** The options, checked once: what cannot be run is a usage error naming the option. */
    private ScoreRequest request() {
        ScoreRequest.Given given = new ScoreRequest.Given(paths, window.topic, window.from, window.to, window.series, out,
                window.fresh, retrain, batch, engine, keepTopics, noCharts, parallel, charts);
        try {
            return ScoreRequest.of(given, Instant.now(), Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private int scoreFiles(SeismoConfig config, ScoreRequest request, ScoreConsole console) {
        List<SeriesCsv.Input> inputs = SeriesCsv.readAll(request.files());
        if (inputs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no CSV files under " + paths);
        }
        long total = inputs.stream().mapToLong(SeriesCsv.Input::rows).sum();
        ScoringRun.Options options = request.options();
        ScoreLines.filesStarting(console.out(), inputs.size(), total, options, request.parallel());
        long began = System.nanoTime();
        List<FileScoring.FileResult> results;
        // In process nothing needs a broker; the broker engine gets the configured cluster or an embedded one.
        try (Cluster cluster = options.engine() == ScoringRun.Engine.BROKER ? Cluster.connect(config, true) : null) {
            results = FileScoring.run(cluster == null ? config : cluster.config(), new FileScoring.Request(inputs, out, options, request.parallel()),
                    BrokerRunTopics.forEngine(options.engine(), request.keepTopics(), console::warn), console.progress(total)::stepTo);
        }
        console.filesScored(results, total, began);
        Path report = request.charts() ? ScoreReport.writeFiles(out, paths, results, total, options, request.maxCharts()) : null;
        ScoreLines.finish(console.out(), report, out, began);
        return 0;
    }

    private int backfill(SeismoConfig config, ScoreRequest request, ScoreConsole console) {
        long began = System.nanoTime();
        try (Cluster cluster = Cluster.connect(config, false)) {
            BackfillService.Result result = BackfillService.run(cluster.config(), request.backfill(),
                    console.backfill(request.backfill(), cluster.config(), began));
            if (result.outcome().summary().readings() > 0) {
                ScoreLines.finish(console.out(), result.report(), out, began);
            }
        }
        return 0;
    }
}
