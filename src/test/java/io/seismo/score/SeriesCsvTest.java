package io.seismo.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.seismo.schema.AnomalyReason;
import io.seismo.schema.EpisodeEventKind;
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
        assertEquals("timestamp,value,anomaly_score,expected,lower,upper,error,threshold,alert,event,reason,model", rows.get(0));
        assertEquals("2015-01-01 00:05:00,2,0.100000,1,0,2,0.500000,3,0,,,1", rows.get(2));
        assertEquals("2015-01-01 00:05:00,2,0,,,,,,0,,,", rows.get(3));
        assertEquals("2015-01-01 00:10:00,9,0.900000,1,0,2,0.500000,3,1,OPENED,PREDICTION_ERROR,1", rows.get(4));
    }

    private static ScoredReading scored(long t, double value, boolean alert, double score) {
        return ScoredReading.newBuilder().setSeries("s").setTimestamp(Instant.ofEpochMilli(t)).setValue(value).setScored(true)
                .setExpected(1).setLower(0).setUpper(2).setError(0.5).setThreshold(3).setScore(score).setAnomalous(alert)
                .setInEpisode(alert).setModelVersion(1)
                .setEvent(alert ? EpisodeEventKind.OPENED : null)
                .setReason(alert ? AnomalyReason.PREDICTION_ERROR : AnomalyReason.NONE).build();
    }

    @Test
    void shouldWriteNumbersExactlyAsPercentSixGWould() {
        java.util.Random random = new java.util.Random(7);
        List<Double> values = new java.util.ArrayList<>(List.of(0.5, -0.5, 1e-4, 9.999995e-5, 0.000123456789, 999999.5, 999999.4,
                123456.75, 1e-7, -3.14159e-12, 6.02214076e23, 1.5e15, 2.5, 0.1 + 0.2, 1.0000005, 9.9999995, 99999.95, Double.MIN_VALUE,
                Double.MAX_VALUE, -Double.MAX_VALUE, 4.35, 1.23456e-5));
        for (int i = 0; i < 20_000; i++) {
            double scale = Math.pow(10, random.nextInt(40) - 20);
            values.add((random.nextDouble() - 0.5) * scale);
            values.add(Math.round(random.nextDouble() * 1e7) / 1e3);
        }
        for (double v : values) {
            String expected = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.6g", v);
            assertEquals(expected, SeriesCsv.number(v), "the text of " + v);
        }
        assertEquals("", SeriesCsv.number(Double.NaN));
        assertEquals("", SeriesCsv.number(Double.POSITIVE_INFINITY));
    }

    @Test
    void shouldReadNabTimestampsAsTheGeneralParserDoes() {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", java.util.Locale.ROOT);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 5_000; i++) {
            java.time.LocalDateTime t = java.time.LocalDateTime.of(1990, 1, 1, 0, 0).plusSeconds(random.nextInt(1_500_000_000));
            assertEquals(t.toInstant(java.time.ZoneOffset.UTC).toEpochMilli(), SeriesCsv.parseTime(f.format(t), dir, 1), f.format(t));
            assertEquals(t.toInstant(java.time.ZoneOffset.UTC).toEpochMilli(), SeriesCsv.parseTime(f.format(t).replace(' ', 'T'), dir, 1));
        }
        // Not a date of the calendar: read as the general parser reads it (clipped to the month's last day), never refused here.
        assertEquals(Instant.parse("2015-02-28T10:00:00Z").toEpochMilli(), SeriesCsv.parseTime("2015-02-30 10:00:00", dir, 1));
        assertEquals(Instant.parse("2015-09-01T11:25:00.5Z").toEpochMilli(), SeriesCsv.parseTime("2015-09-01 11:25:00.500000", dir, 1));
        assertThrows(IllegalArgumentException.class, () -> SeriesCsv.parseTime("2015-09-01 25:00:00", dir, 1));
    }
}
