package io.seismo.score;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.seismo.report.HtmlReport;
import io.seismo.report.SeriesChart;

/**
 * Charts and the HTML page of a scoring run: per series, the values, the prediction band, the threshold and the alerts.
 * Each chart is drawn from the series' result file, one series at a time, so a report costs the memory of one series.
 */
public final class ScoreReport {
    /** One scored series for the report: its counts and the result file its chart is drawn from. */
    public record Entry(String series, Path chart, Path resultFile, long rows, long scored, long alerts, long episodes, long releases,
                        double maxScore) {
    }

    private ScoreReport() {
    }

    /** The chart data of a result file, with labelled windows when known. */
    public static SeriesChart.Data chartData(String title, SeriesCsv.Result r, List<long[]> windows) {
        return new SeriesChart.Data(title, r.timestamps(), r.values(), r.expected(), r.lower(), r.upper(), r.error(), r.threshold(),
                r.alerts(), windows);
    }

    /**
     * The page of a {@code seismo score} run: its {@code facts}, how it ran (event time, batch, retraining, engine) and its
     * series, with at most {@code maxCharts} charts; written to {@code outDir/report.html}, whose path is returned.
     */
    public static Path writeRun(Path outDir, List<String> facts, ScoringRun.Options options, List<Entry> entries, int maxCharts) {
        List<String> all = new ArrayList<>(facts);
        all.add("Event time, batch " + options.batch() + ", " + (options.retrain() ? "retraining" : "no retraining") + ", "
                + options.engine().label() + " engine.");
        return write(outDir, "Seismo scores", all, entries, maxCharts);
    }

    /** The page of a run over the CSV files under {@code paths}, {@code rows} rows in all: a series per file. */
    public static Path writeFiles(Path outDir, List<Path> paths, List<FileScoring.FileResult> results, long rows, ScoringRun.Options options,
                                  int maxCharts) {
        return writeRun(outDir, List.of("Files: " + paths + "; " + results.size() + " series, " + String.format(Locale.ROOT, "%,d", rows)
                + " rows."), options, results.stream().map(FileScoring.FileResult::entry).toList(), maxCharts);
    }

    /**
     * Draws one chart per entry, at most {@code maxCharts} of them (the series with the most alerts first, then by id),
     * and writes the page to {@code outDir/report.html}.
     */
    public static Path write(Path outDir, String title, List<String> facts, List<Entry> entries, int maxCharts) {
        HtmlReport page = new HtmlReport(title);
        facts.forEach(page::paragraph);
        List<List<String>> rows = new ArrayList<>();
        for (Entry e : entries) {
            rows.add(List.of("#" + e.series(), Long.toString(e.rows()), Long.toString(e.scored()), Long.toString(e.alerts()),
                    Long.toString(e.episodes()), Long.toString(e.releases()), String.format(Locale.ROOT, "%.3f", e.maxScore())));
        }
        page.table(List.of("series", "rows", "scored", "alerts", "episodes", "releases", "max score"), rows);
        List<Entry> charted = entries.stream()
                .sorted(java.util.Comparator.comparingLong(Entry::alerts).reversed().thenComparing(Entry::series))
                .limit(maxCharts)
                .toList();
        if (charted.size() < entries.size()) {
            page.paragraph("Charts of the " + charted.size() + " series with the most alerts (of " + entries.size() + ").");
        }
        page.paragraph("Each chart: above, the values (black), the expected value and its normal band (blue: expected ± the learned"
                + " threshold), the alerts (red) and labelled anomaly windows when known (yellow); below, the smoothed prediction"
                + " error against the learned threshold (orange), in standard deviations of the series.");
        for (Entry e : charted) {
            SeriesChart.writePng(chartData(e.series(), SeriesCsv.readResult(e.resultFile()), List.of()), e.chart(), 1400, 520);
            page.heading(e.series());
            page.image(outDir.relativize(e.chart()).toString(), "chart of " + e.series());
        }
        Path file = outDir.resolve("report.html");
        page.write(file);
        return file;
    }
}
