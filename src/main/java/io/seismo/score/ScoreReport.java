package io.seismo.score;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.seismo.report.HtmlReport;
import io.seismo.report.SeriesChart;
import io.seismo.schema.ScoredReading;

/** Charts and the HTML page of a scoring run: per series, the values, the prediction band, the threshold and the alerts. */
public final class ScoreReport {
    /** One scored series for the report. */
    public record Entry(String series, Path chart, int rows, List<ScoredReading> scored, long episodes, long releases,
                        List<long[]> windows) {
        public long alerts() {
            return scored.stream().filter(ScoredReading::getAnomalous).count();
        }
    }

    private ScoreReport() {
    }

    /** The chart data of a scored series, with labelled windows when known. */
    public static SeriesChart.Data chartData(String title, List<ScoredReading> scored, List<long[]> windows) {
        int n = scored.size();
        long[] t = new long[n];
        double[] v = new double[n];
        double[] e = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        double[] err = new double[n];
        double[] th = new double[n];
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
            ScoredReading s = scored.get(i);
            t[i] = s.getTimestamp().toEpochMilli();
            v[i] = s.getValue();
            e[i] = s.getScored() ? s.getExpected() : Double.NaN;
            lo[i] = s.getScored() ? s.getLower() : Double.NaN;
            hi[i] = s.getScored() ? s.getUpper() : Double.NaN;
            err[i] = s.getScored() ? s.getError() : Double.NaN;
            th[i] = s.getThreshold();
            a[i] = s.getAnomalous();
        }
        return new SeriesChart.Data(title, t, v, e, lo, hi, err, th, a, windows);
    }

    /** Draws one chart per entry (to {@code entry.chart()}) and writes the page to {@code outDir/report.html}. */
    public static Path write(Path outDir, String title, List<String> facts, List<Entry> entries) {
        HtmlReport page = new HtmlReport(title);
        facts.forEach(page::paragraph);
        List<List<String>> rows = new ArrayList<>();
        for (Entry e : entries) {
            rows.add(List.of("#" + e.series(), Integer.toString(e.rows()), Integer.toString(e.scored().size()), Long.toString(e.alerts()),
                    Long.toString(e.episodes()), Long.toString(e.releases()),
                    String.format(Locale.ROOT, "%.3f", e.scored().stream().mapToDouble(ScoredReading::getScore).max().orElse(0))));
        }
        page.table(List.of("series", "rows", "scored", "alerts", "episodes", "releases", "max score"), rows);
        page.paragraph("Each chart: above, the values (black), the expected value and its normal band (blue: expected ± the learned"
                + " threshold), the alerts (red) and labelled anomaly windows when known (yellow); below, the smoothed prediction"
                + " error against the learned threshold (orange), in standard deviations of the series.");
        for (Entry e : entries) {
            SeriesChart.writePng(chartData(e.series(), e.scored(), e.windows()), e.chart(), 1400, 520);
            page.heading(e.series());
            page.image(outDir.relativize(e.chart()).toString(), "chart of " + e.series());
        }
        Path file = outDir.resolve("report.html");
        page.write(file);
        return file;
    }
}
