package io.seismo.score;

import java.io.BufferedWriter;
import java.io.Writer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.seismo.schema.AnomalyReason;
import io.seismo.schema.ScoredReading;

/**
 * One series as a CSV file in the Numenta Anomaly Benchmark's layout: a header, then {@code timestamp,value} rows with
 * timestamps written {@code YYYY-MM-DD HH:MM:SS} (UTC), an ISO-8601 instant or epoch milliseconds. Results are written
 * in NAB's results layout: {@code timestamp,value,anomaly_score} plus Seismo's {@code expected,lower,upper,error,threshold,alert}.
 */
public final class SeriesCsv {
    /** The detector name in NAB's results layout. */
    public static final String DETECTOR = "seismo";
    private static final DateTimeFormatter NAB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]", Locale.ROOT);

    /**
     * A series read from a file.
     *
     * @param category  the folder below the input root (empty for a file given directly)
     * @param name      the file name without {@code .csv}
     * @param rawTimes  the timestamps as written, for the result file
     */
    public record Input(Path file, String category, String name, String[] rawTimes, long[] timestamps, double[] values) {
        /** Series id: category and name, so two files of the same name in different folders stay apart. */
        public String series() {
            return category.isEmpty() ? name : category + "/" + name;
        }

        public ScoringRun.SeriesInput toSeriesInput() {
            return new ScoringRun.SeriesInput(series(), timestamps, values);
        }

        public int rows() {
            return values.length;
        }
    }

    private SeriesCsv() {
    }

    /**
     * The CSV files a list of paths names: files as given, folders searched recursively (sorted), each file's category
     * its folder relative to the folder given.
     */
    public static List<Input> readAll(List<Path> paths) {
        List<Path[]> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> found = Files.walk(path)) {
                    for (Path f : found.filter(p -> p.toString().endsWith(".csv") && Files.isRegularFile(p)).sorted().toList()) {
                        files.add(new Path[] {f, path});
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + path, e);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(new Path[] {path, null});
            } else {
                throw new IllegalArgumentException("no such file or folder: " + path);
            }
        }
        // Files are read side by side; the list keeps their order.
        return files.parallelStream().map(f -> {
            Path parent = f[1] == null ? null : f[1].relativize(f[0]).getParent();
            return read(f[0], parent == null ? "" : parent.toString().replace('\\', '/'));
        }).toList();
    }

    /** Reads one file. A row whose value is not a number keeps its place with NaN (the detector dead-letters it). */
    public static Input read(Path file, String category) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
        List<String> raw = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || (i == 0 && !Character.isDigit(line.charAt(0)))) {
                continue;
            }
            int comma = line.indexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'timestamp,value', got '" + line + "'");
            }
            String time = line.substring(0, comma).strip();
            raw.add(time);
            times.add(parseTime(time, file, i + 1));
            values.add(parseValue(line.substring(comma + 1).strip()));
        }
        return new Input(file, category, name, raw.toArray(String[]::new), times.stream().mapToLong(Long::longValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static long parseTime(String text, Path file, int line) {
        long fast = nabTime(text);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        try {
            if (!text.isEmpty() && allDigits(text)) {
                return Long.parseLong(text);
            }
            if (text.endsWith("Z") || text.contains("+")) {
                return Instant.parse(text).toEpochMilli();
            }
            return LocalDateTime.parse(text.replace('T', ' '), NAB_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + line + ": cannot read the timestamp '" + text
                    + "' (expected YYYY-MM-DD HH:MM:SS, an ISO-8601 instant or epoch milliseconds)", e);
        }
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code YYYY-MM-DD HH:MM:SS} (NAB's own form, UTC) read directly, or Long.MIN_VALUE for any other text. */
    private static long nabTime(String t) {
        if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != ' ' && t.charAt(10) != 'T')
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth() || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        return (java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second) * 1000L;
    }

    /** The number of {@code n} decimal digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String t, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static double parseValue(String text) {
        String v = text;
        int comma = v.indexOf(',');
        if (comma >= 0) {
            v = v.substring(0, comma);
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * A series id as a file name: characters other than letters, digits, '.', '_' and '-' become '_'; an id longer than
     * 150 characters keeps its first 141 and a hash of the whole, so that long ids sharing a prefix stay apart.
     */
    public static String fileName(String id) {
        String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 150 ? s.substring(0, 141) + "-" + String.format(Locale.ROOT, "%08x", id.hashCode()) : s;
    }

    /** Where a result goes in NAB's layout: {@code DIR/seismo/<category>/seismo_<name>.csv}. */
    public static Path resultPath(Path outDir, Input input) {
        Path dir = outDir.resolve(DETECTOR);
        if (!input.category().isEmpty()) {
            dir = dir.resolve(input.category());
        }
        return dir.resolve(DETECTOR + "_" + input.name() + ".csv");
    }

    /**
     * Writes one row per input row, in input order: a row the detector did not score (dead-lettered, e.g. a repeated
     * timestamp or a non-number) gets score 0 and empty columns.
     *
     * @param scored the series' scored readings, in event-time order
     */
    public static void writeResult(Path target, Input input, List<ScoredReading> scored) {
        try {
            Files.createDirectories(target.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                w.write(RESULT_HEADER);
                Aligned aligned = new Aligned(scored);
                for (int i = 0; i < input.rows(); i++) {
                    writeRow(w, input.rawTimes()[i], input.values()[i], aligned.at(input.timestamps()[i]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The header line of a result file. */
    static final String RESULT_HEADER = "timestamp,value,anomaly_score,expected,lower,upper,error,threshold,alert,event,reason,model\n";

    /** One row of a result file; {@code s} null for a reading the detector did not score (score 0, empty columns). */
    static void writeRow(Writer w, String rawTime, double value, ScoredReading s) throws IOException {
        w.write(rawTime);
        w.write(',');
        w.write(number(value));
        if (s == null) {
            w.write(",0,,,,,,0,,,\n");
            return;
        }
        w.write(',');
        w.write(number(s.getScore()));
        w.write(',');
        w.write(number(s.getExpected()));
        w.write(',');
        w.write(s.getScored() ? number(s.getLower()) : "");
        w.write(',');
        w.write(s.getScored() ? number(s.getUpper()) : "");
        w.write(',');
        w.write(s.getScored() ? number(s.getError()) : "");
        w.write(',');
        w.write(number(s.getThreshold()));
        w.write(',');
        w.write(s.getAnomalous() ? "1" : "0");
        w.write(',');
        if (s.getEvent() != null) {
            w.write(s.getEvent().name());
        }
        w.write(',');
        if (s.getReason() != AnomalyReason.NONE) {
            w.write(s.getReason().name());
        }
        w.write(',');
        w.write(Long.toString(s.getModelVersion()));
        w.write('\n');
    }

    /**
     * A result file read back: one entry per row; NaN where a column is empty or absent. {@code onsets} marks the rows
     * whose {@code event} is {@code OPENED} (in a file without that column, each alerted row after one that is not).
     */
    public record Result(Path file, String[] rawTimes, long[] timestamps, double[] values, double[] scores, double[] expected,
                         double[] lower, double[] upper, double[] error, double[] threshold, boolean[] alerts, boolean[] onsets) {
        public int rows() {
            return timestamps.length;
        }
    }

    /** Reads a result file (NAB's {@code timestamp,value,anomaly_score}, Seismo's further columns when present). */
    public static Result readResult(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        List<String> header = List.of(lines.get(0).strip().split(",", -1));
        int ts = header.indexOf("timestamp");
        int score = header.indexOf("anomaly_score");
        if (ts < 0 || score < 0) {
            throw new IllegalArgumentException(file + ": the header must name timestamp and anomaly_score, got " + header);
        }
        int[] cols = {header.indexOf("value"), score, header.indexOf("expected"), header.indexOf("lower"), header.indexOf("upper"),
                header.indexOf("error"), header.indexOf("threshold"), header.indexOf("alert")};
        int eventColumn = header.indexOf("event");
        List<String> body = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        int n = body.size();
        boolean[] onsets = new boolean[n];
        String[] raw = new String[n];
        long[] t = new long[n];
        double[][] v = new double[cols.length][n];
        for (int i = 0; i < n; i++) {
            String[] f = body.get(i).split(",", -1);
            raw[i] = f[ts].strip();
            t[i] = parseTime(raw[i], file, i + 2);
            for (int c = 0; c < cols.length; c++) {
                v[c][i] = cols[c] >= 0 && cols[c] < f.length ? parseValue(f[cols[c]].strip()) : Double.NaN;
            }
            onsets[i] = eventColumn >= 0 && eventColumn < f.length && f[eventColumn].strip().equals("OPENED");
        }
        boolean[] alerts = new boolean[n];
        for (int i = 0; i < n; i++) {
            alerts[i] = v[7][i] == 1.0;
            if (eventColumn < 0) {
                onsets[i] = alerts[i] && (i == 0 || !alerts[i - 1]);
            }
        }
        return new Result(file, raw, t, v[0], v[1], v[2], v[3], v[4], v[5], v[6], alerts, onsets);
    }

    /**
     * A number as a result file writes it: an integer as such, anything else as {@code String.format("%.6g")} would
     * (six significant digits rounded half-up from the shortest decimal form, plain from 1e-4 to below 1e6, else
     * {@code d.ddddde±XX}), without the formatter's cost, which would otherwise dominate a fast scoring run.
     */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        char[] d = new char[6];
        int exponent = fastDigits(Math.abs(v), d);
        if (exponent == Integer.MIN_VALUE) {
            exponent = shortestDigits(Math.abs(v), d);
        }
        return format(v < 0, d, exponent);
    }

    private static final double[] POWERS = new double[61];

    static {
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = Double.parseDouble("1e" + (i - 30));
        }
    }

    /**
     * The six significant digits of {@code a} rounded half-up, and its decimal exponent after rounding, by scaling in
     * double precision; Integer.MIN_VALUE when the scaled value lies too close to a rounding boundary (or outside the
     * table) for the shortcut to be sure of giving what rounding the shortest decimal form gives.
     */
    private static int fastDigits(double a, char[] d) {
        int e = (int) Math.floor(Math.log10(a));
        if (e < -24 || e > 24) {
            return Integer.MIN_VALUE;
        }
        double scaled = a * POWERS[5 - e + 30];
        if (scaled < 100_000) {
            e--;
            scaled = a * POWERS[5 - e + 30];
        } else if (scaled >= 1_000_000) {
            e++;
            scaled = a * POWERS[5 - e + 30];
        }
        if (scaled < 100_000 || scaled >= 1_000_000) {
            return Integer.MIN_VALUE;
        }
        double floor = Math.floor(scaled);
        double fraction = scaled - floor;
        if (Math.abs(fraction - 0.5) < 1e-6) {
            return Integer.MIN_VALUE;
        }
        long digits = (long) floor + (fraction > 0.5 ? 1 : 0);
        if (digits == 1_000_000) {
            digits = 100_000;
            e++;
        }
        for (int i = 5; i >= 0; i--) {
            d[i] = (char) ('0' + digits % 10);
            digits /= 10;
        }
        return e;
    }

    /** The six significant digits of {@code a} and its exponent, rounded half-up from its shortest decimal form. */
    private static int shortestDigits(double a, char[] d) {
        // The shortest decimal form's digits, as 0.d1d2d3... x 10^point with d1 the first non-zero digit.
        String text = Double.toString(a);
        int e = text.indexOf('E');
        String mantissa = e < 0 ? text : text.substring(0, e);
        int dot = mantissa.indexOf('.');
        String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int point = dot + (e < 0 ? 0 : Integer.parseInt(text.substring(e + 1)));
        int lead = 0;
        while (lead < all.length() - 1 && all.charAt(lead) == '0') {
            lead++;
        }
        point -= lead;
        java.util.Arrays.fill(d, '0');
        for (int i = 0; i < 6 && lead + i < all.length(); i++) {
            d[i] = all.charAt(lead + i);
        }
        // Half-up at the seventh significant digit.
        if (lead + 6 < all.length() && all.charAt(lead + 6) >= '5') {
            int i = 5;
            while (i >= 0 && d[i] == '9') {
                d[i--] = '0';
            }
            if (i < 0) {
                d[0] = '1';
                point++;
            } else {
                d[i]++;
            }
        }
        return point - 1;
    }

    private static String format(boolean negative, char[] d, int exponent) {
        StringBuilder out = new StringBuilder(16);
        if (negative) {
            out.append('-');
        }
        if (exponent >= 0 && exponent < 6) {
            out.append(d, 0, exponent + 1);
            if (exponent < 5) {
                out.append('.').append(d, exponent + 1, 5 - exponent);
            }
        } else if (exponent >= -4 && exponent < 0) {
            out.append("0.");
            for (int i = 0; i < -exponent - 1; i++) {
                out.append('0');
            }
            out.append(d);
        } else {
            out.append(d[0]).append('.').append(d, 1, 5).append('e').append(exponent < 0 ? '-' : '+');
            int x = Math.abs(exponent);
            if (x < 10) {
                out.append('0');
            }
            out.append(x);
        }
        return out.toString();
    }

    /** Matches input rows to scored readings by timestamp; each scored reading is used once, in order. */
    private static final class Aligned {
        private final List<ScoredReading> scored;
        private int next;

        Aligned(List<ScoredReading> scored) {
            this.scored = scored;
        }

        ScoredReading at(long timestamp) {
            while (next < scored.size() && scored.get(next).getTimestamp().toEpochMilli() < timestamp) {
                next++;
            }
            if (next < scored.size() && scored.get(next).getTimestamp().toEpochMilli() == timestamp) {
                return scored.get(next++);
            }
            return null;
        }
    }
}
