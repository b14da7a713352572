package io.seismo.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.seismo.report.HtmlReport;
import io.seismo.report.SeriesChart;
import io.seismo.score.SeriesCsv;

/**
 * {@code seismo evaluate}'s report: result files in NAB's layout (as {@code seismo score} writes them) against labelled
 * windows, scored as the Numenta Anomaly Benchmark does, twice: the alerts as emitted (each episode's opening reading a
 * detection) and the anomaly score swept per profile; beside them the alerts' window-level figures ({@link AlertMatcher}:
 * windows caught, episodes inside and outside windows, precision, recall, F1, lead time), per category and per file.
 */
public final class NabEvaluation {
    /** One result file with its label key and windows. */
    public record Scored(String key, SeriesCsv.Result result, List<long[]> windows) {
    }

    /** The labelled result files, and the labelled files without results. */
    public record Corpus(List<Scored> files, List<String> unscored) {
    }

    private final Corpus corpus;
    private final List<NabScorer.ProfileResult> swept;
    private final List<NabScorer.ProfileResult> emitted;
    private final AlertMatcher.Tally alerts;
    private final double leadHours;
    private final List<String[]> perFile;
    private final Map<String, double[]> perCategory;

    private NabEvaluation(Corpus corpus, List<NabScorer.ProfileResult> swept, List<NabScorer.ProfileResult> emitted,
                          AlertMatcher.Tally alerts, double leadHours, List<String[]> perFile, Map<String, double[]> perCategory) {
        this.corpus = corpus;
        this.swept = swept;
        this.emitted = emitted;
        this.alerts = alerts;
        this.leadHours = leadHours;
        this.perFile = perFile;
        this.perCategory = perCategory;
    }

    /**
     * The result files {@code <detector>_*.csv} below {@code root}, each keyed as NAB keys its labels ({@code category/file.csv});
     * a file without labels is named to {@code unlabelled} and left out.
     */
    public static Corpus corpus(Path root, String detector, Map<String, List<long[]>> windows, Consumer<String> unlabelled)
            throws IOException {
        List<Scored> files = new ArrayList<>();
        String prefix = detector + "_";
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".csv")).sorted().toList()) {
                Path rel = root.relativize(f);
                String name = f.getFileName().toString().substring(prefix.length());
                String key = rel.getParent() == null ? name : rel.getParent().toString().replace('\\', '/') + "/" + name;
                if (!windows.containsKey(key)) {
                    unlabelled.accept(key);
                    continue;
                }
                files.add(new Scored(key, SeriesCsv.readResult(f), windows.get(key)));
            }
        }
        List<String> unscored = new ArrayList<>(new TreeMap<>(windows).keySet());
        files.forEach(f -> unscored.remove(f.key()));
        return new Corpus(files, unscored);
    }

    /** Scores a corpus of at least one file. */
    public static NabEvaluation of(Corpus corpus) {
        List<Scored> files = corpus.files();
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no labelled result files");
        }
        List<NabScorer.FileScores> sweptCorpus = new ArrayList<>();
        List<NabScorer.FileScores> emittedCorpus = new ArrayList<>();
        for (Scored s : files) {
            // NAB counts one detection per onset: a reading that continues an episode (alerted, but not its opening
            // reading) is not a new detection, so it is swept as 0, as NAB's own detectors filter their runs.
            SeriesCsv.Result r = s.result();
            double[] scores = r.scores().clone();
            double[] binary = new double[r.rows()];
            for (int i = 0; i < scores.length; i++) {
                if (Double.isNaN(scores[i]) || (r.alerts()[i] && !r.onsets()[i])) {
                    scores[i] = 0;
                }
                // The alerts as emitted: each episode's opening reading is a detection, nothing else; no threshold is swept.
                binary[i] = r.onsets()[i] ? 1 : 0;
            }
            sweptCorpus.add(new NabScorer.FileScores(s.key(), r.timestamps(), scores, s.windows()));
            emittedCorpus.add(new NabScorer.FileScores(s.key(), r.timestamps(), binary, s.windows()));
        }
        List<NabScorer.ProfileResult> swept = NabScorer.PROFILES.stream().map(p -> NabScorer.evaluate(sweptCorpus, p)).toList();
        List<NabScorer.ProfileResult> emitted = NabScorer.PROFILES.stream().map(p -> NabScorer.evaluateAt(emittedCorpus, p, 1.0)).toList();

        // Window-level figures of the same onsets, after each file's probationary period.
        AlertMatcher.Tally alerts = AlertMatcher.Tally.NONE;
        double leadSum = 0;
        List<String[]> perFile = new ArrayList<>();
        Map<String, double[]> perCategory = new TreeMap<>(); // emitted standard raw, windows, caught, onsets, outside windows
        NabScorer.ProfileResult standard = swept.get(0);
        NabScorer.ProfileResult emittedStandard = emitted.get(0);
        for (int k = 0; k < files.size(); k++) {
            Scored s = files.get(k);
            SeriesCsv.Result r = s.result();
            AlertMatcher.Match match = AlertMatcher.match(s.windows(), onsetTimes(r, NabScorer.probationLength(r.rows())));
            for (int w = 0; w < s.windows().size(); w++) {
                if (match.caught(w)) {
                    leadSum += s.windows().get(w)[1] - match.firstAlertIn(w);
                }
            }
            AlertMatcher.Tally file = match.tally();
            alerts = alerts.plus(file);
            NabScorer.FileResult fr = standard.files().get(k);
            NabScorer.FileResult er = emittedStandard.files().get(k);
            String category = s.key().contains("/") ? s.key().substring(0, s.key().indexOf('/')) : "";
            double[] c = perCategory.computeIfAbsent(category, x -> new double[5]);
            c[0] += er.score();
            c[1] += file.windows();
            c[2] += file.caught();
            c[3] += file.alerts();
            c[4] += file.falsePositives();
            perFile.add(new String[] {s.key(), String.format(Locale.ROOT, "%,d", r.rows()), Integer.toString(file.windows()),
                    file.caught() + "/" + file.windows(), Integer.toString(file.alerts()), Integer.toString(file.falsePositives()),
                    String.format(Locale.ROOT, "%.3f", er.score()), Integer.toString(fr.windowsDetected()), Integer.toString(fr.falsePositives()),
                    String.format(Locale.ROOT, "%.3f", fr.score())});
        }
        double leadHours = alerts.caught() == 0 ? 0 : leadSum / alerts.caught() / 3_600_000.0;
        return new NabEvaluation(corpus, swept, emitted, alerts, leadHours, perFile, perCategory);
    }

    /** The times of the episodes' opening readings from row {@code from} on, in row order. */
    private static long[] onsetTimes(SeriesCsv.Result r, int from) {
        List<Long> out = new ArrayList<>();
        for (int i = from; i < r.rows(); i++) {
            if (r.onsets()[i]) {
                out.add(r.timestamps()[i]);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The alerts' window-level counts over the corpus, after each file's probationary period. */
    public AlertMatcher.Tally alerts() {
        return alerts;
    }

    public double precision() {
        return alerts.precision(AlertMatcher.Conventions.ZERO_WHEN_EMPTY);
    }

    public double recall() {
        return alerts.recall(AlertMatcher.Conventions.ZERO_WHEN_EMPTY);
    }

    public double f1() {
        return alerts.f1(AlertMatcher.Conventions.ZERO_WHEN_EMPTY);
    }

    /** The report as Markdown (evaluation.md). */
    public String markdown() {
        List<Scored> files = corpus.files();
        int windowCount = alerts.windows();
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
                + " its end on average.%n%n", alerts.caught(), windowCount, recall(), alerts.alerts(), alerts.truePositives(), precision(),
                alerts.falsePositives(), f1(), leadHours));
        md.append("| category | NAB standard (emitted) | windows caught | episodes | outside windows |\n|---|---|---|---|---|\n");
        perCategory.forEach((category, c) -> md.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %d | %d |%n", category,
                c[1] == 0 ? String.format(Locale.ROOT, "no windows (raw %.3f)", c[0]) : String.format(Locale.ROOT, "%.1f", 100 * (c[0] + c[1]) / (2 * c[1])),
                (int) c[2], (int) c[1], (int) c[3], (int) c[4])));
        md.append("\n## The score, swept\n\nFor comparison with NAB's scoreboard: `anomaly_score` with one threshold per profile swept over the"
                + " corpus with the labels, as NAB does; a reading that continues an open episode is not a new detection and sweeps as 0.\n\n");
        md.append("| profile | threshold | raw | null | perfect | NAB score |\n|---|---|---|---|---|---|\n");
        for (NabScorer.ProfileResult r : swept) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.3f | %.3f | %.3f | **%.1f** |%n", r.profile().name(), r.threshold(),
                    r.raw(), r.nullScore(), r.perfectScore(), r.normalized()));
        }
        md.append("\n## Per file\n\n| file | rows | windows | caught by alerts | episodes | outside windows | standard score (emitted)"
                + " | caught (swept) | false-positive rows (swept) | standard score (swept) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (String[] row : perFile) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        if (!corpus.unscored().isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nLabelled files without results (not scored): %s%n", corpus.unscored()));
        }
        return md.toString();
    }

    /** Writes {@code target/evaluation.html} with the tables and a chart per file (under {@code target/charts}); returns its path. */
    public Path writeHtml(Path target) throws IOException {
        List<Scored> files = corpus.files();
        HtmlReport page = new HtmlReport("Seismo on NAB");
        page.paragraph(String.format(Locale.ROOT, "%d files, %d windows. The alerts as emitted: each episode's opening reading is a"
                + " detection, no threshold swept.", files.size(), alerts.windows()));
        List<List<String>> emittedRows = new ArrayList<>();
        for (NabScorer.ProfileResult r : emitted) {
            emittedRows.add(List.of(r.profile().name(), String.format(Locale.ROOT, "%.3f", r.raw()),
                    String.format(Locale.ROOT, "%.3f", r.nullScore()), String.format(Locale.ROOT, "%.3f", r.perfectScore()),
                    String.format(Locale.ROOT, "%.1f", r.normalized())));
        }
        page.table(List.of("profile", "raw", "null", "perfect", "NAB score (emitted)"), emittedRows);
        page.paragraph(String.format(Locale.ROOT, "Alerts: %d of %d windows caught, %d episodes; recall %.3f, precision %.3f, F1 %.3f.",
                alerts.caught(), alerts.windows(), alerts.alerts(), recall(), precision(), f1()));
        page.paragraph("The score, swept over the corpus per profile with the labels (for comparison with NAB's scoreboard):");
        List<List<String>> rows = new ArrayList<>();
        for (NabScorer.ProfileResult r : swept) {
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
        Path html = target.resolve("evaluation.html");
        page.write(html);
        return html;
    }
}
