package io.seismo.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.sim.InjectedAnomaly;
import io.seismo.sim.SimConfig;
import io.seismo.sim.SimReading;
import io.seismo.sim.Simulator;

/** Where evaluation data comes from: the simulator, or a folder of CSV files with NAB-style labels. */
public final class Datasets {
    private static final DateTimeFormatter NAB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private Datasets() {
    }

    /**
     * Simulated series with their injected anomalies as windows; each window runs from the anomaly's start to
     * {@code slackSteps} readings after its end (a detector may only notice a change once it has run for a while).
     */
    public static List<LabelledSeries> synthetic(int series, int steps, long seed, int slackSteps) {
        SimConfig defaults = SimConfig.defaults(series, seed);
        Simulator simulator = new Simulator(defaults);
        Map<String, long[]> times = new LinkedHashMap<>();
        Map<String, double[]> values = new HashMap<>();
        for (String id : simulator.seriesIds()) {
            times.put(id, new long[steps]);
            values.put(id, new double[steps]);
        }
        for (int t = 0; t < steps; t++) {
            for (SimReading r : simulator.nextTick()) {
                times.get(r.series())[t] = r.timestamp();
                values.get(r.series())[t] = r.value();
            }
        }
        Map<String, List<long[]>> windows = new HashMap<>();
        for (InjectedAnomaly a : simulator.injected()) {
            windows.computeIfAbsent(a.series(), k -> new ArrayList<>())
                    .add(Scorecard.window(a, slackSteps * defaults.stepMillis()));
        }
        List<LabelledSeries> out = new ArrayList<>();
        times.forEach((id, ts) -> out.add(new LabelledSeries(id, ts, values.get(id), windows.getOrDefault(id, List.of()))));
        return out;
    }

    /**
     * Every {@code *.csv} below {@code dir} (columns timestamp,value with a header; NAB's layout), named by its path
     * relative to {@code dir}, with windows from a NAB {@code combined_windows.json} when {@code labels} is given.
     */
    public static List<LabelledSeries> csvFolder(Path dir, Path labels) {
        Map<String, List<long[]>> windows = labels == null ? Map.of() : readWindows(labels);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .csv files below " + dir);
        }
        List<LabelledSeries> out = new ArrayList<>();
        for (Path file : files) {
            String name = dir.relativize(file).toString().replace('\\', '/');
            out.add(readCsv(file, name, windows.getOrDefault(name, List.of())));
        }
        return out;
    }

    /** NAB's labels next to its data: {@code <dir>/../labels/combined_windows.json} or {@code <dir>/labels/...}, if present. */
    public static Path defaultLabels(Path dir) {
        for (Path candidate : List.of(dir.resolve("labels/combined_windows.json"),
                dir.toAbsolutePath().getParent().resolve("labels/combined_windows.json"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static LabelledSeries readCsv(Path file, String name, List<long[]> windows) {
        List<Long> ts = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            String line;
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                if (comma < 0) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": expected timestamp,value");
                }
                ts.add(parseTime(line.substring(0, comma).trim(), file + ":" + lineNo));
                try {
                    vs.add(Double.parseDouble(line.substring(comma + 1).trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not a number: " + line.substring(comma + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        long[] t = new long[ts.size()];
        double[] v = new double[vs.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = ts.get(i);
            v[i] = vs.get(i);
        }
        return new LabelledSeries(name, t, v, windows);
    }

    static long parseTime(String text, String where) {
        try {
            return LocalDateTime.parse(text, NAB_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException notMillis) {
                throw new IllegalArgumentException(where + ": timestamp '" + text + "' is neither 'yyyy-MM-dd HH:mm:ss' nor epoch millis");
            }
        }
    }

    /** NAB's {@code combined_windows.json}: file (relative path) to its windows [start, end], epoch millis, inclusive. */
    public static Map<String, List<long[]>> readWindows(Path labels) {
        try {
            JsonNode root = new ObjectMapper().readTree(labels.toFile());
            Map<String, List<long[]>> out = new HashMap<>();
            root.fields().forEachRemaining(e -> {
                List<long[]> list = new ArrayList<>();
                for (JsonNode w : e.getValue()) {
                    list.add(new long[] {parseTime(w.get(0).asText(), labels.toString()), parseTime(w.get(1).asText(), labels.toString())});
                }
                out.put(e.getKey(), list);
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read labels " + labels, e);
        }
    }
}
