package io.seismo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.seismo.eval.Datasets;
import io.seismo.eval.NabScorer;
import io.seismo.report.HtmlReport;
import io.seismo.report.SeriesChart;
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

    /** One result file with its label key and windows. */
    private record Scored(String key, SeriesCsv.Result result, List<long[]> windows) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (synthetic) {
            // Progress is reported here; keep Seismo's service logs to warnings and errors.
            Console.quietServiceLogs();
            if (results != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give either RESULTS or --synthetic, not both");
            }
            SyntheticEvaluation.Outcome outcome = SyntheticEvaluation.run(configOptions.load(Map.of()), seriesCount, steps, seed,
                    retrain, spec.commandLine().getErr());
            String text = outcome.format();
            o.print(text);
            if (out != null) {
                Files.createDirectories(out);
                Files.writeString(out.resolve("synthetic.md"), text, StandardCharsets.UTF_8);
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
        Path target = out != null ? out : results;
        Map<String, List<long[]>> windows = Datasets.readWindows(labels);
        List<Scored> files = new ArrayList<>();
        String prefix = detector + "_";
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".csv")).sorted().toList()) {
                Path rel = root.relativize(f);
                String name = f.getFileName().toString().substring(prefix.length());
                String key = rel.getParent() == null ? name : rel.getParent().toString().replace('\\', '/') + "/" + name;
                if (!windows.containsKey(key)) {
                    spec.commandLine().getErr().println("no labels for " + key + ": skipped");
                    continue;
                }
                files.add(new Scored(key, SeriesCsv.readResult(f), windows.get(key)));
            }
        }
        if (files.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no labelled result files " + prefix + "*.csv under " + root);
        }
        List<String> unscored = new ArrayList<>(new TreeMap<>(windows).keySet());
        files.forEach(f -> unscored.remove(f.key()));

        List<NabScorer.FileScores> corpus = new ArrayList<>();
        for (Scored s : files) {
            // NAB counts one detection per onset: a reading that continues an episode (alerted, but not its opening
            // reading) is not a new detection, so it is swept as 0, as NAB's own detectors filter their runs.
            SeriesCsv.Result r = s.result();
            double[] scores = r.scores().clone();
            for (int i = 0; i < scores.length; i++) {
                if (Double.isNaN(scores[i]) || (r.alerts()[i] && !r.onsets()[i])) {
                    scores[i] = 0;
                }
            }
            corpus.add(new NabScorer.FileScores(s.key(), s.result().timestamps(), scores, s.windows()));
        }
        List<NabScorer.ProfileResult> profiles = NabScorer.PROFILES.stream().map(p -> NabScorer.evaluate(corpus, p)).toList();
        // The alerts as emitted: each episode's opening reading is a detection, nothing else; no threshold is swept.
        List<NabScorer.FileScores> emittedCorpus = new ArrayList<>();
        for (Scored s : files) {
            double[] binary = new double[s.result().rows()];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = s.result().onsets()[i] ? 1 : 0;
            }
            emittedCorpus.add(new NabScorer.FileScores(s.key(), s.result().timestamps(), binary, s.windows()));
        }
        List<NabScorer.ProfileResult> emitted = NabScorer.PROFILES.stream().map(p -> NabScorer.evaluateAt(emittedCorpus, p, 1.0)).toList();
        int windowCount = files.stream().mapToInt(f -> f.windows().size()).sum();

        // Window-level figures of the same onsets, after each file's probationary period.
        int caught = 0;
        int onsets = 0;
        int onsetsInWindows = 0;
        double leadSum = 0;
        List<String[]> perFile = new ArrayList<>();
        Map<String, double[]> perCategory = new TreeMap<>(); // emitted standard raw, null, perfect; caught, windows, onsets, false
        NabScorer.ProfileResult standard = profiles.get(0);
        NabScorer.ProfileResult emittedStandard = emitted.get(0);
        for (int k = 0; k < files.size(); k++) {
            Scored s = files.get(k);
            SeriesCsv.Result r = s.result();
            int probation = NabScorer.probationLength(r.rows());
            int fileOnsets = 0;
            int fileInWindows = 0;
            int fileCaught = 0;
            for (long[] w : s.windows()) {
                for (int i = probation; i < r.rows(); i++) {
                    if (r.onsets()[i] && r.timestamps()[i] >= w[0] && r.timestamps()[i] <= w[1]) {
                        fileCaught++;
                        leadSum += w[1] - r.timestamps()[i];
                        break;
                    }
                }
            }
            for (int i = probation; i < r.rows(); i++) {
                if (r.onsets()[i]) {
                    fileOnsets++;
                    long t = r.timestamps()[i];
                    if (s.windows().stream().anyMatch(w -> t >= w[0] && t <= w[1])) {
                        fileInWindows++;
                    }
                }
            }
            caught += fileCaught;
            onsets += fileOnsets;
            onsetsInWindows += fileInWindows;
            NabScorer.FileResult fr = standard.files().get(k);
            NabScorer.FileResult er = emittedStandard.files().get(k);
            String category = s.key().contains("/") ? s.key().substring(0, s.key().indexOf('/')) : "";
            double[] c = perCategory.computeIfAbsent(category, x -> new double[5]);
            c[0] += er.score();
            c[1] += s.windows().size();
            c[2] += fileCaught;
            c[3] += fileOnsets;
            c[4] += fileOnsets - fileInWindows;
            perFile.add(new String[] {s.key(), String.format(Locale.ROOT, "%,d", r.rows()), Integer.toString(s.windows().size()),
                    fileCaught + "/" + s.windows().size(), Integer.toString(fileOnsets), Integer.toString(fileOnsets - fileInWindows),
                    String.format(Locale.ROOT, "%.3f", er.score()), Integer.toString(fr.windowsDetected()), Integer.toString(fr.falsePositives()),
                    String.format(Locale.ROOT, "%.3f", fr.score())});
        }
        double precision = onsets == 0 ? 0 : (double) onsetsInWindows / onsets;
        double recall = windowCount == 0 ? 0 : (double) caught / windowCount;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double leadHours = caught == 0 ? 0 : leadSum / caught / 3_600_000.0;

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "NAB over %d files, %d windows, %,d rows%n%n", files.size(), windowCount,
                files.stream().mapToInt(f -> f.result().rows()).sum()));
        md.append("## The alerts as emitted\n\nEach episode's opening reading (`event` OPENED) is a detection, every other reading is not;"
                + " no threshold is chosen with the labels.\n\n");
        md.append("| profile | raw | null | perfect | NAB score |\n|---|---|---|---|---|\n");
        for (NabScorer.ProfileResult r : emitted) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | **%.1f** |%n", r.profile().name(), r.raw(), r.nullScore(),
                    r.perfectScore(), r.normalized()));
        }
        md.append(String.format(Locale.ROOT, "%nAfter each file's probationary period: %d of %d windows caught (recall %.3f); %d episodes"
                + " opened, %d inside windows (precision %.3f), %d outside; F1 %.3f; the first alert of a caught window comes %.1f h before"
                + " its end on average.%n%n", caught, windowCount, recall, onsets, onsetsInWindows, precision, onsets - onsetsInWindows, f1,
                leadHours));
        md.append("| category | NAB standard (emitted) | windows caught | episodes | outside windows |\n|---|---|---|---|---|\n");
        perCategory.forEach((category, c) -> md.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %d | %d |%n", category,
                c[1] == 0 ? String.format(Locale.ROOT, "no windows (raw %.3f)", c[0]) : String.format(Locale.ROOT, "%.1f", 100 * (c[0] + c[1]) / (2 * c[1])),
                (int) c[2], (int) c[1], (int) c[3], (int) c[4])));
        md.append("\n## The score, swept\n\nFor comparison with NAB's scoreboard: `anomaly_score` with one threshold per profile swept over the"
                + " corpus with the labels, as NAB does; a reading that continues an open episode is not a new detection and sweeps as 0.\n\n");
        md.append("| profile | threshold | raw | null | perfect | NAB score |\n|---|---|---|---|---|---|\n");
        for (NabScorer.ProfileResult r : profiles) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.3f | %.3f | %.3f | **%.1f** |%n", r.profile().name(), r.threshold(),
                    r.raw(), r.nullScore(), r.perfectScore(), r.normalized()));
        }
        md.append("\n## Per file\n\n| file | rows | windows | caught by alerts | episodes | outside windows | standard score (emitted)"
                + " | caught (swept) | false-positive rows (swept) | standard score (swept) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (String[] row : perFile) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        if (!unscored.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nLabelled files without results (not scored): %s%n", unscored));
        }
        Files.createDirectories(target);
        Files.writeString(target.resolve("evaluation.md"), md.toString(), StandardCharsets.UTF_8);
        o.print(md);
        if (!noCharts) {
            HtmlReport page = new HtmlReport("Seismo on NAB");
            page.paragraph(String.format(Locale.ROOT, "%d files, %d windows. The alerts as emitted: each episode's opening reading is a"
                    + " detection, no threshold swept.", files.size(), windowCount));
            List<List<String>> emittedRows = new ArrayList<>();
            for (NabScorer.ProfileResult r : emitted) {
                emittedRows.add(List.of(r.profile().name(), String.format(Locale.ROOT, "%.3f", r.raw()),
                        String.format(Locale.ROOT, "%.3f", r.nullScore()), String.format(Locale.ROOT, "%.3f", r.perfectScore()),
                        String.format(Locale.ROOT, "%.1f", r.normalized())));
            }
            page.table(List.of("profile", "raw", "null", "perfect", "NAB score (emitted)"), emittedRows);
            page.paragraph(String.format(Locale.ROOT, "Alerts: %d of %d windows caught, %d episodes; recall %.3f, precision %.3f, F1 %.3f.",
                    caught, windowCount, onsets, recall, precision, f1));
            page.paragraph("The score, swept over the corpus per profile with the labels (for comparison with NAB's scoreboard):");
            List<List<String>> rows = new ArrayList<>();
            for (NabScorer.ProfileResult r : profiles) {
                rows.add(List.of(r.profile().name(), String.format(Locale.ROOT, "%.4f", r.threshold()), String.format(Locale.ROOT, "%.3f", r.raw()),
                        String.format(Locale.ROOT, "%.3f", r.nullScore()), String.format(Locale.ROOT, "%.3f", r.perfectScore()),
                        String.format(Locale.ROOT, "%.1f", r.normalized())));
            }
            page.table(List.of("profile", "threshold", "raw", "null", "perfect", "NAB score"), rows);
            List<List<String>> fileRows = new ArrayList<>();
            for (String[] r : perFile) {
                List<String> cells = new ArrayList<>(List.of(r));
                cells.set(0, "#" + r[0]);
                fileRows.add(cells);
            }
            page.table(List.of("file", "rows", "windows", "caught by alerts", "episodes", "outside windows", "standard (emitted)",
                    "caught (swept)", "FP rows (swept)", "standard (swept)"), fileRows);
            for (Scored s : files) {
                Path png = target.resolve("charts").resolve(s.key().replace(".csv", ".png"));
                SeriesCsv.Result r = s.result();
                SeriesChart.writePng(new SeriesChart.Data(s.key(), r.timestamps(), r.values(), r.expected(), r.lower(), r.upper(), r.error(),
                        r.threshold(), r.alerts(), s.windows()), png, 1400, 520);
                page.heading(s.key());
                page.image(target.relativize(png).toString(), "chart of " + s.key());
            }
            page.write(target.resolve("evaluation.html"));
            o.println("report: " + target.resolve("evaluation.html").toAbsolutePath());
        }
        o.flush();
        return 0;
    }
}
