package io.seismo.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ScoredReading;
import io.seismo.score.FileScoring;
import io.seismo.score.ScoringRun;
import io.seismo.score.SeriesCsv;
import io.seismo.sim.AnomalyKind;
import io.seismo.sim.InjectedAnomaly;
import io.seismo.sim.SimConfig;
import io.seismo.sim.SimReading;
import io.seismo.sim.Simulator;

/**
 * Detection quality on labelled synthetic data: the simulator's series with injected anomalies of every kind, scored
 * by a scoring run (the production topology in process, event time, retraining); an anomaly counts as
 * caught when an episode opens between its start and {@link #TOLERANCE_STEPS} steps after its end (the {@link Scorecard}).
 */
public final class SyntheticEvaluation {
    static final int TOLERANCE_STEPS = 10;

    /** Recall per kind and false alarms per 10,000 normal readings. */
    public record Outcome(Scorecard scorecard, long normalReadings, long falseAlarms, int series, int steps, long seed, Duration elapsed,
                          Map<AnomalyKind, double[]> coverage, Map<String, Integer> falseAlarmReasons, List<InjectedAnomaly> labels,
                          List<ScoringRun.SeriesInput> inputs, Map<String, List<ScoredReading>> scores) {
        public double falseAlarmsPer10k() {
            return normalReadings == 0 ? 0 : 10_000.0 * falseAlarms / normalReadings;
        }

        /** The report {@code seismo evaluate --synthetic} prints (and writes to synthetic.md). */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Synthetic: %d series x %,d readings (seed %d), scored in %.0f s%n%n", series, steps, seed,
                    elapsed.toMillis() / 1000.0));
            sb.append("| kind | caught | total | recall | readings inside the episode |\n|---|---|---|---|---|\n");
            for (Map.Entry<AnomalyKind, int[]> e : scorecard.perKind().entrySet()) {
                int[] c = e.getValue();
                double[] cov = coverage.getOrDefault(e.getKey(), new double[2]);
                sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s |%n", e.getKey().name().toLowerCase(Locale.ROOT), c[0], c[1],
                        c[1] == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", (double) c[0] / c[1]),
                        cov[1] == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * cov[0] / cov[1])));
            }
            sb.append(String.format(Locale.ROOT, "%nEpisodes opened: %d on anomalies, %d false alarms in %,d normal readings:"
                    + " %.2f false alarms per 10,000 normal readings. Precision %.3f, recall %.3f.%n", scorecard.truePositives(), falseAlarms,
                    normalReadings, falseAlarmsPer10k(), scorecard.precision(), scorecard.recall()));
            if (!falseAlarmReasons.isEmpty()) {
                sb.append("False alarms by the channel that opened them: ");
                sb.append(String.join(", ", falseAlarmReasons.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
                sb.append(".\n");
            }
            return sb.toString();
        }
    }

    private SyntheticEvaluation() {
    }

    /** Generates the set, scores it (progress on {@code err}) and matches the episodes opened to the labels. */
    public static Outcome run(SeismoConfig config, int seriesCount, int steps, long seed, boolean retrain, PrintWriter err) {
        SimConfig sim = SimConfig.defaults(seriesCount, seed);
        Simulator simulator = new Simulator(sim);
        Map<String, List<SimReading>> bySeries = new LinkedHashMap<>();
        for (SimReading r : simulator.advance(steps)) {
            bySeries.computeIfAbsent(r.series(), k -> new ArrayList<>()).add(r);
        }
        List<ScoringRun.SeriesInput> inputs = new ArrayList<>();
        bySeries.forEach((id, list) -> inputs.add(new ScoringRun.SeriesInput(id, list.stream().mapToLong(SimReading::timestamp).toArray(),
                list.stream().mapToDouble(SimReading::value).toArray())));
        List<InjectedAnomaly> labels = simulator.injected();
        long began = System.nanoTime();
        ScoringRun.Result result;
        String prefix = "seismo-synthetic-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Path state = ScoringRun.stateDirectory();
        try {
            SeismoConfig c = ScoringRun.isolated(config, prefix, state, config.topics().partitions());
            long total = inputs.stream().mapToLong(i -> i.values().length).sum();
            long[] lastShown = {0};
            // In process: the production topology without a broker, as seismo score runs it.
            result = ScoringRun.run(c, inputs, new ScoringRun.Options(500, retrain, null, ScoringRun.Engine.IN_PROCESS), (judged, all) -> {
                if (judged - lastShown[0] >= all / 20 || judged == all) {
                    lastShown[0] = judged;
                    err.printf(Locale.ROOT, "\rscoring %,d / %,d readings", judged, total);
                    err.flush();
                }
            });
            err.println();
        } finally {
            FileScoring.deleteQuietly(state);
        }
        List<AnomalyEvent> opened = result.events().stream().filter(e -> e.getKind() == EpisodeEventKind.OPENED).toList();
        List<Scorecard.Detection> detections = opened.stream()
                .map(e -> new Scorecard.Detection(e.getSeries(), e.getTimestamp().toEpochMilli())).toList();
        long tolerance = TOLERANCE_STEPS * sim.stepMillis();
        long horizon = sim.timestampOf(steps - 1);
        Scorecard card = Scorecard.evaluate(labels, detections, tolerance, horizon);
        // Normal readings: after the warm-up and inside no label's window.
        Map<String, List<long[]>> windowsBySeries = new HashMap<>();
        labels.forEach(l -> windowsBySeries.computeIfAbsent(l.series(), k -> new ArrayList<>()).add(Scorecard.window(l, tolerance)));
        long normal = 0;
        for (ScoringRun.SeriesInput in : inputs) {
            List<long[]> windows = windowsBySeries.getOrDefault(in.series(), List.of());
            for (long t : in.timestamps()) {
                if (!AlertMatcher.inside(windows, t) && t >= sim.timestampOf(sim.warmupSteps())) {
                    normal++;
                }
            }
        }
        // How much of each anomaly lies inside an open episode, and which channel opened each false alarm.
        Map<AnomalyKind, double[]> coverage = new EnumMap<>(AnomalyKind.class);
        for (InjectedAnomaly l : labels) {
            double[] c = coverage.computeIfAbsent(l.kind(), k -> new double[2]);
            for (ScoredReading r : result.scores().getOrDefault(l.series(), List.of())) {
                long t = r.getTimestamp().toEpochMilli();
                if (t >= l.start() && t <= l.end()) {
                    c[1]++;
                    if (r.getInEpisode()) {
                        c[0]++;
                    }
                }
            }
        }
        Map<String, Integer> reasons = new TreeMap<>();
        for (int i = 0; i < opened.size(); i++) {
            if (card.verdict(i) == AlertMatcher.Verdict.FALSE_POSITIVE) {
                reasons.merge(opened.get(i).getReason().name(), 1, Integer::sum);
            }
        }
        return new Outcome(card, normal, card.falsePositives(), seriesCount, steps, seed, Duration.ofNanos(System.nanoTime() - began),
                coverage, reasons, labels, inputs, result.scores());
    }

    /**
     * Writes the report to {@code DIR/synthetic.md} and the run in NAB's layout, so that {@code seismo evaluate DIR --labels
     * DIR/labels/combined_windows.json} scores and charts it: {@code DIR/seismo/synthetic/seismo_<series>.csv}, the windows
     * (each label's start to its end plus the tolerance) and {@code DIR/labels/anomalies.csv} with each label's kind.
     */
    public static void write(Outcome outcome, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("synthetic.md"), outcome.format(), StandardCharsets.UTF_8);
        DateTimeFormatter nab = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
        long tolerance = TOLERANCE_STEPS * SimConfig.defaults(1, 0).stepMillis();
        Map<String, List<InjectedAnomaly>> bySeries = new TreeMap<>();
        outcome.labels().forEach(l -> bySeries.computeIfAbsent(l.series(), k -> new ArrayList<>()).add(l));
        StringBuilder windows = new StringBuilder("{\n");
        StringBuilder kinds = new StringBuilder("series,kind,start,end\n");
        List<String> entries = new ArrayList<>();
        for (ScoringRun.SeriesInput in : outcome.inputs()) {
            String name = SeriesCsv.fileName(in.series());
            String[] raw = new String[in.timestamps().length];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = nab.format(Instant.ofEpochMilli(in.timestamps()[i]));
            }
            SeriesCsv.Input input = new SeriesCsv.Input(dir.resolve(name + ".csv"), "synthetic", name, raw, in.timestamps(), in.values());
            SeriesCsv.writeResult(SeriesCsv.resultPath(dir, input), input, outcome.scores().getOrDefault(in.series(), List.of()));
            List<String> w = new ArrayList<>();
            for (InjectedAnomaly l : bySeries.getOrDefault(in.series(), List.of())) {
                long[] window = Scorecard.window(l, tolerance);
                w.add(String.format(Locale.ROOT, "[\"%s.000000\", \"%s.000000\"]", nab.format(Instant.ofEpochMilli(window[0])),
                        nab.format(Instant.ofEpochMilli(window[1]))));
                kinds.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", in.series(), l.kind().name().toLowerCase(Locale.ROOT),
                        nab.format(Instant.ofEpochMilli(l.start())), nab.format(Instant.ofEpochMilli(l.end()))));
            }
            entries.add("  \"synthetic/" + name + ".csv\": [" + String.join(", ", w) + "]");
        }
        windows.append(String.join(",\n", entries)).append("\n}\n");
        Path labels = dir.resolve("labels");
        Files.createDirectories(labels);
        Files.writeString(labels.resolve("combined_windows.json"), windows, StandardCharsets.UTF_8);
        Files.writeString(labels.resolve("anomalies.csv"), kinds, StandardCharsets.UTF_8);
    }
}
