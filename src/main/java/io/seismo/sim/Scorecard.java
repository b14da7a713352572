package io.seismo.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Precision and recall of a detector's output against the simulator's labels.
 *
 * <p>A label's <em>window</em> is {@code [start, end + tolerance]}. A label is <em>caught</em> if at
 * least one detection of the same series falls in its window. A detection is a <em>true
 * positive</em> if it falls in the window of some judged label of its series, and a <em>false
 * positive</em> otherwise. Labels starting after {@code horizonMillis} are too late to be judged:
 * they count neither as caught nor as missed, and detections inside their windows are ignored
 * rather than counted as false positives.
 */
public final class Scorecard {

    /** One alarm raised by a detector. */
    public record Detection(String series, long timestamp) {
        public Detection {
            Objects.requireNonNull(series, "series");
        }
    }

    private final int truePositives;
    private final int falsePositives;
    private final int ignoredDetections;
    private final List<InjectedAnomaly> caughtLabels;
    private final List<InjectedAnomaly> missedLabels;
    private final long toleranceMillis;

    private Scorecard(
            int truePositives,
            int falsePositives,
            int ignoredDetections,
            List<InjectedAnomaly> caughtLabels,
            List<InjectedAnomaly> missedLabels,
            long toleranceMillis) {
        this.truePositives = truePositives;
        this.falsePositives = falsePositives;
        this.ignoredDetections = ignoredDetections;
        this.caughtLabels = List.copyOf(caughtLabels);
        this.missedLabels = List.copyOf(missedLabels);
        this.toleranceMillis = toleranceMillis;
    }

    /**
     * Scores {@code detections} against {@code labels}.
     *
     * @param toleranceMillis how long after a label's end a detection still counts (not negative)
     * @param horizonMillis labels starting after this event time are not judged
     */
    public static Scorecard evaluate(
            List<InjectedAnomaly> labels,
            List<Detection> detections,
            long toleranceMillis,
            long horizonMillis) {
        if (toleranceMillis < 0) {
            throw new IllegalArgumentException("toleranceMillis must not be negative: " + toleranceMillis);
        }
        Map<String, List<InjectedAnomaly>> bySeries = new HashMap<>();
        for (InjectedAnomaly label : labels) {
            bySeries.computeIfAbsent(label.series(), s -> new ArrayList<>()).add(label);
        }
        Map<InjectedAnomaly, Boolean> caught = new HashMap<>();
        int tp = 0;
        int fp = 0;
        int ignored = 0;
        for (Detection d : detections) {
            boolean judgedMatch = false;
            boolean unjudgedMatch = false;
            for (InjectedAnomaly label : bySeries.getOrDefault(d.series(), List.of())) {
                if (d.timestamp() >= label.start() && d.timestamp() <= label.end() + toleranceMillis) {
                    if (label.start() <= horizonMillis) {
                        judgedMatch = true;
                        caught.put(label, Boolean.TRUE);
                    } else {
                        unjudgedMatch = true;
                    }
                }
            }
            if (judgedMatch) {
                tp++;
            } else if (unjudgedMatch) {
                ignored++;
            } else {
                fp++;
            }
        }
        List<InjectedAnomaly> caughtLabels = new ArrayList<>();
        List<InjectedAnomaly> missedLabels = new ArrayList<>();
        for (InjectedAnomaly label : labels) {
            if (label.start() > horizonMillis) {
                continue;
            }
            (caught.containsKey(label) ? caughtLabels : missedLabels).add(label);
        }
        return new Scorecard(tp, fp, ignored, caughtLabels, missedLabels, toleranceMillis);
    }

    public int truePositives() {
        return truePositives;
    }

    public int falsePositives() {
        return falsePositives;
    }

    /** Detections that only matched labels beyond the horizon; counted neither way. */
    public int ignoredDetections() {
        return ignoredDetections;
    }

    /** Number of judged labels with at least one detection in their window. */
    public int caught() {
        return caughtLabels.size();
    }

    /** Number of judged labels without any detection in their window. */
    public int missed() {
        return missedLabels.size();
    }

    public List<InjectedAnomaly> caughtLabels() {
        return caughtLabels;
    }

    public List<InjectedAnomaly> missedLabels() {
        return missedLabels;
    }

    /** TP / (TP + FP); NaN when there are no judged detections. */
    public double precision() {
        int n = truePositives + falsePositives;
        return n == 0 ? Double.NaN : (double) truePositives / n;
    }

    /** caught / (caught + missed); NaN when there are no judged labels. */
    public double recall() {
        int n = caught() + missed();
        return n == 0 ? Double.NaN : (double) caught() / n;
    }

    /** Harmonic mean of precision and recall; NaN if either is NaN, 0 if both are 0. */
    public double f1() {
        double p = precision();
        double r = recall();
        if (Double.isNaN(p) || Double.isNaN(r)) {
            return Double.NaN;
        }
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * Recall per kind: for every {@link AnomalyKind} (also those without labels) a fresh array
     * {@code {caught, total}}.
     */
    public Map<AnomalyKind, int[]> perKind() {
        Map<AnomalyKind, int[]> result = new EnumMap<>(AnomalyKind.class);
        for (AnomalyKind kind : AnomalyKind.values()) {
            result.put(kind, new int[2]);
        }
        for (InjectedAnomaly label : caughtLabels) {
            int[] counts = result.get(label.kind());
            counts[0]++;
            counts[1]++;
        }
        for (InjectedAnomaly label : missedLabels) {
            result.get(label.kind())[1]++;
        }
        return result;
    }

    /** A readable multi-line table: totals, then recall per kind. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "detections: %d true positive, %d false positive, %d ignored (tolerance %d ms)%n",
                        truePositives,
                        falsePositives,
                        ignoredDetections,
                        toleranceMillis));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "labels:     %d caught, %d missed%n",
                        caught(),
                        missed()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "precision %s  recall %s  f1 %s%n",
                        ratio(precision()),
                        ratio(recall()),
                        ratio(f1())));
        sb.append(String.format(Locale.ROOT, "%-16s %7s %7s %7s%n", "kind", "caught", "total", "recall"));
        for (Map.Entry<AnomalyKind, int[]> e : perKind().entrySet()) {
            int[] c = e.getValue();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-16s %7d %7d %7s%n",
                            e.getKey(),
                            c[0],
                            c[1],
                            c[1] == 0 ? "n/a" : ratio((double) c[0] / c[1])));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }
}
