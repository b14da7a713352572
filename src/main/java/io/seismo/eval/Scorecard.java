package io.seismo.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.seismo.sim.AnomalyKind;
import io.seismo.sim.InjectedAnomaly;

/**
 * Precision and recall of a detector's output against the simulator's labels, matched by {@link AlertMatcher}.
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

    private final AlertMatcher.Tally tally;
    private final List<AlertMatcher.Verdict> verdicts;
    private final List<InjectedAnomaly> caughtLabels;
    private final List<InjectedAnomaly> missedLabels;
    private final long toleranceMillis;

    private Scorecard(
            AlertMatcher.Tally tally,
            List<AlertMatcher.Verdict> verdicts,
            List<InjectedAnomaly> caughtLabels,
            List<InjectedAnomaly> missedLabels,
            long toleranceMillis) {
        this.tally = tally;
        this.verdicts = List.copyOf(verdicts);
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
        // Series by series: the judged labels and those beyond the horizon, and the detections with their places in the input.
        Map<String, List<InjectedAnomaly>> judged = new LinkedHashMap<>();
        Map<String, List<long[]>> notJudged = new LinkedHashMap<>();
        for (InjectedAnomaly label : labels) {
            if (label.start() <= horizonMillis) {
                judged.computeIfAbsent(label.series(), s -> new ArrayList<>()).add(label);
            } else {
                notJudged.computeIfAbsent(label.series(), s -> new ArrayList<>()).add(window(label, toleranceMillis));
            }
        }
        Map<String, List<Integer>> detectionsBySeries = new LinkedHashMap<>();
        for (int i = 0; i < detections.size(); i++) {
            detectionsBySeries.computeIfAbsent(detections.get(i).series(), s -> new ArrayList<>()).add(i);
        }
        List<String> series = new ArrayList<>(judged.keySet());
        detectionsBySeries.keySet().stream().filter(s -> !judged.containsKey(s)).forEach(series::add);

        AlertMatcher.Tally tally = AlertMatcher.Tally.NONE;
        AlertMatcher.Verdict[] verdicts = new AlertMatcher.Verdict[detections.size()];
        Set<InjectedAnomaly> caught = new HashSet<>();
        for (String s : series) {
            List<InjectedAnomaly> seriesLabels = judged.getOrDefault(s, List.of());
            List<Integer> indices = detectionsBySeries.getOrDefault(s, List.of());
            long[] times = indices.stream().mapToLong(i -> detections.get(i).timestamp()).toArray();
            AlertMatcher.Match match = AlertMatcher.match(seriesLabels.stream().map(l -> window(l, toleranceMillis)).toList(),
                    notJudged.getOrDefault(s, List.of()), times);
            tally = tally.plus(match.tally());
            for (int k = 0; k < indices.size(); k++) {
                verdicts[indices.get(k)] = match.verdicts()[k];
            }
            for (int w = 0; w < seriesLabels.size(); w++) {
                if (match.caught(w)) {
                    caught.add(seriesLabels.get(w));
                }
            }
        }
        List<InjectedAnomaly> caughtLabels = new ArrayList<>();
        List<InjectedAnomaly> missedLabels = new ArrayList<>();
        for (InjectedAnomaly label : labels) {
            if (label.start() > horizonMillis) {
                continue;
            }
            (caught.contains(label) ? caughtLabels : missedLabels).add(label);
        }
        return new Scorecard(tally, List.of(verdicts), caughtLabels, missedLabels, toleranceMillis);
    }

    /** A label's window: from its start to {@code toleranceMillis} after its end, both included. */
    public static long[] window(InjectedAnomaly label, long toleranceMillis) {
        return new long[] {label.start(), label.end() + toleranceMillis};
    }

    /** The first of {@code labels} (in their order) whose window holds {@code detection}, if any. */
    public static Optional<InjectedAnomaly> labelOf(List<InjectedAnomaly> labels, Detection detection, long toleranceMillis) {
        return labels.stream()
                .filter(l -> l.series().equals(detection.series())
                        && AlertMatcher.inside(window(l, toleranceMillis), detection.timestamp()))
                .findFirst();
    }

    /** The counts behind the figures. */
    public AlertMatcher.Tally tally() {
        return tally;
    }

    /** What the {@code index}-th detection given counted as. */
    public AlertMatcher.Verdict verdict(int index) {
        return verdicts.get(index);
    }

    public int truePositives() {
        return tally.truePositives();
    }

    public int falsePositives() {
        return tally.falsePositives();
    }

    /** Detections that only matched labels beyond the horizon; counted neither way. */
    public int ignoredDetections() {
        return tally.ignored();
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
        return tally.precision(AlertMatcher.Conventions.UNDEFINED_WHEN_EMPTY);
    }

    /** caught / (caught + missed); NaN when there are no judged labels. */
    public double recall() {
        return tally.recall(AlertMatcher.Conventions.UNDEFINED_WHEN_EMPTY);
    }

    /** Harmonic mean of precision and recall; NaN if either is NaN, 0 if both are 0. */
    public double f1() {
        return tally.f1(AlertMatcher.Conventions.UNDEFINED_WHEN_EMPTY);
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
                        truePositives(),
                        falsePositives(),
                        ignoredDetections(),
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
