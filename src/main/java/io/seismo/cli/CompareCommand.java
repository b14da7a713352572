package io.seismo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

import io.seismo.config.SeismoConfig;
import io.seismo.eval.CellComparison;
import io.seismo.eval.Datasets;
import io.seismo.eval.LabelledSeries;
import io.seismo.eval.SeriesJudgement;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seismo compare}: trains and scores each recurrent cell on the same data and prints one table. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo compare --cells lstm,gru --markdown"},
        description = "Trains each cell on the first part of every series, scores the rest with the detector, and prints one table:"
                + " prediction error, detection precision/recall/F1 against the labels, parameters, time per reading.")
public final class CompareCommand extends PrintingCommand {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--cells", split = ",", defaultValue = "lstm,lstm-peephole,lstm-coupled,gru,rnn",
            description = "Cells to compare (default: ${DEFAULT-VALUE}).")
    List<String> cells;

    @Option(names = "--data", paramLabel = "DIR",
            description = "A folder of CSV files (timestamp,value), e.g. NAB's data/ folder; default: the simulator's labelled series.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "NAB combined_windows.json for --data (default: labels/combined_windows.json beside or inside DIR, if present).")
    Path labels;

    @Option(names = "--series", defaultValue = "24", description = "Simulated series (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(names = "--steps", defaultValue = "4000", description = "Simulated readings per series (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "11", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-fraction", defaultValue = "0.3",
            description = "Share of every series (its beginning) the model is trained on; the rest is scored (default: ${DEFAULT-VALUE}).")
    double trainFraction;

    @Option(names = "--markdown", description = "Print the table as Markdown.")
    boolean markdown;


    @Override
    Integer call(PrintWriter out) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--train-fraction must be between 0 and 1");
        }
        SeismoConfig config = configOptions.load();
        List<LabelledSeries> dataset;
        String source;
        if (data == null) {
            dataset = Datasets.synthetic(series, steps, seed, 10);
            source = String.format(Locale.ROOT, "simulator: %d series x %d readings, seed %d", series, steps, seed);
        } else {
            Path labelFile = labels != null ? labels : Datasets.defaultLabels(data);
            dataset = Datasets.csvFolder(data, labelFile);
            source = data + " (" + dataset.size() + " files, labels: " + (labelFile == null ? "none" : labelFile) + ")";
        }
        long readings = dataset.stream().mapToLong(LabelledSeries::size).sum();
        long windows = dataset.stream().mapToLong(s -> s.windows().size()).sum();
        out.printf("Data: %s; %,d readings, %d labelled windows; trained on the first %.0f%% of each series%n", source, readings, windows,
                trainFraction * 100);
        out.flush();
        List<CellComparison.Row> rows;
        try {
            rows = CellComparison.compare(config, cells, dataset, trainFraction, new SeriesJudgement(), this::bar);
        } finally {
            closeBar();
        }
        out.println();
        out.print(CellComparison.table(rows, markdown));
        out.printf("%nMSE: mean squared next-value error on the scored part, in units of each series' training-part standard deviation;"
                + " vs naive: MSE / that of repeating the last value.%nwindows: labelled windows (overlapping the scored part) with"
                + " at least one episode opened inside; detections: episodes opened inside a window / all opened.%n");
        out.flush();
        return 0;
    }

    private ProgressBar bar;

    private IntConsumer bar(String name, int total) {
        closeBar();
        bar = Console.bar(spec, String.format(Locale.ROOT, "%-24s", name), total, null, false);
        ProgressBar current = bar;
        return current::stepBy;
    }

    private void closeBar() {
        bar = Console.close(spec, bar);
    }
}
