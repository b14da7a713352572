package io.seismo.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.DefaultXYDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A picture of one scored series: above, the values, the expected value with its normal band and the alerts (and
 * labelled anomaly windows when known); below, the smoothed prediction error against the learned threshold.
 */
public final class SeriesChart {
    private static final Color VALUE = new Color(0x33, 0x33, 0x33);
    private static final Color EXPECTED = new Color(0x1f, 0x77, 0xb4);
    private static final Color BAND = new Color(0x1f, 0x77, 0xb4, 60);
    private static final Color ALERT = new Color(0xd6, 0x27, 0x28);
    private static final Color WINDOW = new Color(0xff, 0xd7, 0x00, 70);
    private static final Color THRESHOLD = new Color(0xff, 0x7f, 0x0e);

    /**
     * What to draw. Arrays are parallel, one entry per reading in time order; NaN where unknown (e.g. no band during
     * warm-up).
     *
     * @param windows labelled anomaly windows as [start, end] epoch millis, or empty
     */
    public record Data(String title, long[] timestamps, double[] values, double[] expected, double[] lower, double[] upper,
                       double[] error, double[] threshold, boolean[] alerts, List<long[]> windows) {
        public Data {
            int n = timestamps.length;
            if (values.length != n || expected.length != n || lower.length != n || upper.length != n || error.length != n
                    || threshold.length != n || alerts.length != n) {
                throw new IllegalArgumentException("chart arrays must all have " + n + " entries");
            }
        }
    }

    private SeriesChart() {
    }

    /** Draws the chart to a PNG file. */
    public static void writePng(Data data, Path file, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = chart(data);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static JFreeChart chart(Data d) {
        DateAxis time = new DateAxis("time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(6);
        plot.add(valuePlot(d), 3);
        plot.add(errorPlot(d), 1);
        JFreeChart chart = new JFreeChart(d.title(), new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static XYPlot valuePlot(Data d) {
        int n = d.timestamps().length;
        YIntervalSeries band = new YIntervalSeries("expected ± threshold");
        DefaultXYDataset values = new DefaultXYDataset();
        double[][] v = new double[2][n];
        int alerts = 0;
        for (int i = 0; i < n; i++) {
            v[0][i] = d.timestamps()[i];
            v[1][i] = d.values()[i];
            if (Double.isFinite(d.lower()[i]) && Double.isFinite(d.upper()[i]) && Double.isFinite(d.expected()[i])) {
                band.add(d.timestamps()[i], d.expected()[i], d.lower()[i], d.upper()[i]);
            }
            if (d.alerts()[i]) {
                alerts++;
            }
        }
        double[][] a = new double[2][alerts];
        for (int i = 0, j = 0; i < n; i++) {
            if (d.alerts()[i]) {
                a[0][j] = d.timestamps()[i];
                a[1][j++] = d.values()[i];
            }
        }
        values.addSeries("value", v);
        DefaultXYDataset alertSet = new DefaultXYDataset();
        alertSet.addSeries("alert", a);
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        bands.addSeries(band);

        NumberAxis axis = new NumberAxis("value");
        axis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot();
        plot.setRangeAxis(axis);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);

        XYLineAndShapeRenderer alertRenderer = new XYLineAndShapeRenderer(false, true);
        alertRenderer.setSeriesPaint(0, ALERT);
        alertRenderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        plot.setDataset(0, alertSet);
        plot.setRenderer(0, alertRenderer);

        XYLineAndShapeRenderer valueRenderer = new XYLineAndShapeRenderer(true, false);
        valueRenderer.setSeriesPaint(0, VALUE);
        valueRenderer.setSeriesStroke(0, new BasicStroke(0.8f));
        plot.setDataset(1, values);
        plot.setRenderer(1, valueRenderer);

        DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
        bandRenderer.setSeriesPaint(0, EXPECTED);
        bandRenderer.setSeriesFillPaint(0, BAND);
        bandRenderer.setSeriesStroke(0, new BasicStroke(0.8f));
        bandRenderer.setAlpha(0.25f);
        plot.setDataset(2, bands);
        plot.setRenderer(2, bandRenderer);

        for (long[] w : d.windows()) {
            IntervalMarker marker = new IntervalMarker(w[0], w[1]);
            marker.setPaint(WINDOW);
            plot.addDomainMarker(marker, Layer.BACKGROUND);
        }
        return plot;
    }

    private static XYPlot errorPlot(Data d) {
        int n = d.timestamps().length;
        double[][] e = new double[2][n];
        double[][] t = new double[2][n];
        for (int i = 0; i < n; i++) {
            e[0][i] = d.timestamps()[i];
            e[1][i] = d.error()[i];
            t[0][i] = d.timestamps()[i];
            t[1][i] = d.threshold()[i] > 0 ? d.threshold()[i] : Double.NaN;
        }
        DefaultXYDataset set = new DefaultXYDataset();
        set.addSeries("smoothed error", e);
        set.addSeries("threshold", t);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, Color.GRAY);
        r.setSeriesStroke(0, new BasicStroke(0.7f));
        r.setSeriesPaint(1, THRESHOLD);
        r.setSeriesStroke(1, new BasicStroke(1.2f));
        NumberAxis axis = new NumberAxis("error (σ)");
        axis.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(set, null, axis, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (long[] w : d.windows()) {
            IntervalMarker marker = new IntervalMarker(w[0], w[1]);
            marker.setPaint(WINDOW);
            plot.addDomainMarker(marker, Layer.BACKGROUND);
        }
        return plot;
    }
}
