package io.seismo.score;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import io.seismo.stream.SeismoSerdes;

/**
 * The result files of a backfill, written as the run produces them: one CSV per series in NAB's results layout
 * ({@code DIR/seismo/<category>/seismo_<series>.csv}), a row per reading in the order judged, so that no more than a
 * bounded number of rows and files is held at a time. At most {@code maxOpen} files are open at once (least recently
 * written closed first, reopened to append); per series only its counts are kept.
 */
public final class SeriesFiles implements ScoringRun.Sink, AutoCloseable {

    /** What was written for one series. */
    public static final class Counts {
        private final Path file;
        private long rows;
        private long scored;
        private long alerts;
        private long episodes;
        private double maxScore;

        Counts(Path file) {
            this.file = file;
        }

        public Path file() {
            return file;
        }

        public long rows() {
            return rows;
        }

        public long scored() {
            return scored;
        }

        public long alerts() {
            return alerts;
        }

        public long episodes() {
            return episodes;
        }

        public double maxScore() {
            return maxScore;
        }
    }

    private final Path outDir;
    private final String category;
    private final int maxOpen;
    private final Map<String, Counts> counts = new TreeMap<>();
    private final LinkedHashMap<String, BufferedWriter> open;

    public SeriesFiles(Path outDir, String category, int maxOpen) {
        this.outDir = outDir;
        this.category = category;
        this.maxOpen = maxOpen;
        this.open = new LinkedHashMap<>(16, 0.75f, true);
    }

    @Override
    public void scored(ScoredReading s) {
        Counts c = row(s.getSeries(), s.getTimestamp().toEpochMilli(), s.getValue(), s);
        c.scored++;
        if (s.getAnomalous()) {
            c.alerts++;
        }
        c.maxScore = Math.max(c.maxScore, s.getScore());
    }

    @Override
    public void event(AnomalyEvent event) {
        if (event.getKind() == EpisodeEventKind.OPENED) {
            counts(event.getSeries()).episodes++;
        }
    }

    /** A reading the detector refused (a repeated timestamp, say) keeps its row, unscored. */
    @Override
    public void deadLetter(DeadLetter d) {
        Reading r;
        try {
            r = SeismoSerdes.READING.decode(d.getValue().array());
        } catch (RuntimeException e) {
            return;
        }
        if (d.getKey() != null && r.getSeries() != null) {
            row(r.getSeries(), r.getTimestamp().toEpochMilli(), r.getValue(), null);
        }
    }

    /** Per series, in id order, what was written. */
    public Map<String, Counts> counts() {
        return counts;
    }

    private Counts row(String series, long timestamp, double value, ScoredReading s) {
        Counts c = counts(series);
        try {
            SeriesCsv.writeRow(writer(series, c), Instant.ofEpochMilli(timestamp).toString(), value, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + c.file, e);
        }
        c.rows++;
        return c;
    }

    private Counts counts(String series) {
        return counts.computeIfAbsent(series, k -> new Counts(SeriesCsv.resultPath(outDir,
                new SeriesCsv.Input(outDir, category, SeriesCsv.fileName(k), new String[0], new long[0], new double[0]))));
    }

    private BufferedWriter writer(String series, Counts c) throws IOException {
        BufferedWriter w = open.get(series);
        if (w != null) {
            return w;
        }
        if (open.size() >= maxOpen) {
            var eldest = open.entrySet().iterator().next();
            eldest.getValue().close();
            open.remove(eldest.getKey());
        }
        boolean first = c.rows == 0;
        Files.createDirectories(c.file.getParent());
        w = first
                ? Files.newBufferedWriter(c.file, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(c.file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        if (first) {
            w.write(SeriesCsv.RESULT_HEADER);
        }
        open.put(series, w);
        return w;
    }

    @Override
    public void close() {
        IOException failed = null;
        for (BufferedWriter w : open.values()) {
            try {
                w.close();
            } catch (IOException e) {
                failed = e;
            }
        }
        open.clear();
        if (failed != null) {
            throw new UncheckedIOException("cannot finish the result files", failed);
        }
    }
}
