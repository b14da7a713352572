package io.seismo.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.seismo.schema.ScoredReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesCsvTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadNabFilesWithTheirCategoryFromTheFolderBelowTheRoot() throws Exception {
        Files.createDirectories(dir.resolve("data/realTraffic"));
        Files.writeString(dir.resolve("data/realTraffic/speed.csv"), "timestamp,value\n2015-09-01 11:25:00,58\n2015-09-01 11:30:00,oops\n");
        Files.writeString(dir.resolve("data/top.csv"), "timestamp,value\n2015-09-01T00:00:00Z,1.5\n1441065900000,2\n");
        List<SeriesCsv.Input> inputs = SeriesCsv.readAll(List.of(dir.resolve("data")));
        assertEquals(2, inputs.size());
        SeriesCsv.Input speed = inputs.get(0);
        assertEquals("realTraffic", speed.category());
        assertEquals("realTraffic/speed", speed.series());
        assertEquals(Instant.parse("2015-09-01T11:25:00Z").toEpochMilli(), speed.timestamps()[0]);
        assertEquals(58.0, speed.values()[0]);
        assertTrue(Double.isNaN(speed.values()[1]), "a value that is not a number keeps its row, as NaN");
        SeriesCsv.Input top = inputs.get(1);
        assertEquals("", top.category());
        assertEquals(1441065900000L, top.timestamps()[1]);
        assertEquals(dir.resolve("out/seismo/realTraffic/seismo_speed.csv"), SeriesCsv.resultPath(dir.resolve("out"), speed));
        assertEquals(dir.resolve("out/seismo/seismo_top.csv"), SeriesCsv.resultPath(dir.resolve("out"), top));
    }

    @Test
    void shouldRefuseAnUnreadableTimestampNamingTheLine() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "timestamp,value\n2015-09-01 11:25:00,1\n01/09/2015,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeriesCsv.read(f, ""));
        assertTrue(e.getMessage().contains("bad.csv:3"), e.getMessage());
    }

    @Test
    void shouldWriteOneRowPerInputRowWithUnscoredRowsAtZero() throws Exception {
        Path f = dir.resolve("s.csv");
        Files.writeString(f, "timestamp,value\n2015-01-01 00:00:00,1\n2015-01-01 00:05:00,2\n2015-01-01 00:05:00,2\n2015-01-01 00:10:00,9\n");
        SeriesCsv.Input in = SeriesCsv.read(f, "");
        // The repeated timestamp was dead-lettered: no scored reading for it.
        List<ScoredReading> scored = List.of(scored(in.timestamps()[0], 1, false, 0), scored(in.timestamps()[1], 2, false, 0.1),
                scored(in.timestamps()[3], 9, true, 0.9));
        Path out = dir.resolve("r.csv");
        SeriesCsv.writeResult(out, in, scored);
        List<String> rows = Files.readAllLines(out);
        assertEquals(5, rows.size());
        assertEquals("2015-01-01 00:05:00,2,0.100000,1,0,2,0.500000,3,0", rows.get(2));
        assertEquals("2015-01-01 00:05:00,2,0,,,,,,0", rows.get(3));
        assertEquals("2015-01-01 00:10:00,9,0.900000,1,0,2,0.500000,3,1", rows.get(4));
    }

    private static ScoredReading scored(long t, double value, boolean alert, double score) {
        return ScoredReading.newBuilder().setSeries("s").setTimestamp(Instant.ofEpochMilli(t)).setValue(value).setScored(true)
                .setExpected(1).setLower(0).setUpper(2).setError(0.5).setThreshold(3).setScore(score).setAnomalous(alert)
                .setInEpisode(alert).setModelVersion(1).build();
    }
}
