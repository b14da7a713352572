package io.seismo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.seismo.eval.Datasets;
import io.seismo.eval.NabEvaluation;
import io.seismo.eval.SyntheticEvaluation;
import io.seismo.score.SeriesCsv;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seismo evaluate}: scores result files against labelled windows exactly as the Numenta Anomaly Benchmark does. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Scores result files (NAB's results layout, as written by seismo score) against labelled anomaly windows"
                + " (NAB's combined_windows.json) as the Numenta Anomaly Benchmark does: the scaled-sigmoid reward inside windows,"
                + " false-positive costs, the probationary period, one threshold swept over the whole corpus per profile"
                + " (standard, reward_low_FP_rate, reward_low_FN_rate), normalised between the null detector (0) and the perfect"
                + " one (100). Also window-level precision, recall and F1 of the detector's own alerts, a table per file,"
                + " evaluation.md, evaluation.html and a chart per file with the label windows.",
                "Example: seismo score ../shared/nab-dev/data --out results && seismo evaluate results"
                        + " --labels ../shared/nab-dev/labels/combined_windows.json"},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:evaluated", "1:failed (one line on stderr says why)", "2:bad arguments"})
public final class EvaluateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RESULTS", arity = "0..1",
            description = "Results folder: DIR/<detector>/<category>/<detector>_<file>.csv (or DIR/<detector> itself).")
    Path results;

    @Option(names = "--labels", paramLabel = "FILE", description = "NAB's combined_windows.json (with RESULTS).")
    Path labels;

    @Option(names = "--synthetic", description = "Instead: generate labelled synthetic series (the simulator's anomaly kinds), score them"
            + " in process with seismo score's event-time run (retraining included), and report recall per kind, the share of each"
            + " anomaly inside its episode and false alarms per 10,000 normal readings.")
    boolean synthetic;

    @Option(names = "--retrain", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "--synthetic: retrain on event time during the run (default: on; --no-retrain judges with the baseline"
                    + " forecaster alone, the same judgement without the network).")
    boolean retrain;

    @Option(names = "--series", paramLabel = "N", defaultValue = "8", description = "--synthetic: series (default: ${DEFAULT-VALUE}).")
    int seriesCount;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "6000", description = "--synthetic: readings per series (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "--synthetic: seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--detector", paramLabel = "NAME", defaultValue = SeriesCsv.DETECTOR,
            description = "Detector name in the results layout (default: ${DEFAULT-VALUE}).")
    String detector;

    @Option(names = "--out", paramLabel = "DIR", description = "Where evaluation.md, evaluation.html and charts go (default: RESULTS);"
            + " with --synthetic, synthetic.md, the scored series in NAB's results layout and their labels (labels/combined_windows.json,"
            + " labels/anomalies.csv), ready for seismo evaluate DIR --labels DIR/labels/combined_windows.json.")
    Path out;

    @Option(names = "--no-charts", description = "Skip the charts and evaluation.html.")
    boolean noCharts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (synthetic) {
            // Progress is reported here; keep Seismo's service logs to warnings and errors.
            Console.quietServiceLogs();
            if (results != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give either RESULTS or --synthetic, not both");
            }
            SyntheticEvaluation.Outcome outcome = SyntheticEvaluation.run(configOptions.load(), seriesCount, steps, seed,
                    retrain, spec.commandLine().getErr());
            o.print(outcome.format());
            if (out != null) {
                SyntheticEvaluation.write(outcome, out);
            }
            o.flush();
            return 0;
        }
        if (results == null || labels == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give RESULTS and --labels, or --synthetic");
        }
        Path root = Files.isDirectory(results.resolve(detector)) ? results.resolve(detector) : results;
        if (!Files.isDirectory(root)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no results folder " + results);
        }
        NabEvaluation.Corpus corpus = NabEvaluation.corpus(root, detector, Datasets.readWindows(labels),
                key -> spec.commandLine().getErr().println("no labels for " + key + ": skipped"));
        if (corpus.files().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no labelled result files " + detector + "_*.csv under " + root);
        }
        NabEvaluation evaluation = NabEvaluation.of(corpus);
        Path target = out != null ? out : results;
        String md = evaluation.markdown();
        Files.createDirectories(target);
        Files.writeString(target.resolve("evaluation.md"), md, StandardCharsets.UTF_8);
        o.print(md);
        if (!noCharts) {
            o.println("report: " + evaluation.writeHtml(target).toAbsolutePath());
        }
        o.flush();
        return 0;
    }
}
