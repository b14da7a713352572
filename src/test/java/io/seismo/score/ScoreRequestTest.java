package io.seismo.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** seismo score's options become one checked request, or one line naming the option that is wrong. */
class ScoreRequestTest {
    private static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");
    private static final Path OUT = Path.of("out");

    private static ScoreRequest.Given files(List<Path> paths, int batch, String engine, Integer parallel) {
        return new ScoreRequest.Given(paths, null, null, "now", null, OUT, false, true, batch, engine, false, false, parallel, 200);
    }

    private static ScoreRequest.Given backfill(String from, String to, String series) {
        return new ScoreRequest.Given(List.of(), "readings", from, to, series, OUT, true, false, 100, "broker", true, true, 3, 50);
    }

    private static String refusal(ScoreRequest.Given given) {
        return assertThrows(IllegalArgumentException.class, () -> ScoreRequest.of(given, NOW, 4)).getMessage();
    }

    @Test
    void shouldScoreFilesOnTheCoresAvailableUnlessToldOtherwise() {
        ScoreRequest r = ScoreRequest.of(files(List.of(Path.of("data")), 500, "in-process", null), NOW, 4);
        assertFalse(r.backfills());
        assertNull(r.backfill());
        assertEquals(List.of(Path.of("data")), r.files());
        assertEquals(4, r.parallel());
        assertEquals(new ScoringRun.Options(500, true, null, ScoringRun.Engine.IN_PROCESS), r.options());
        assertTrue(r.charts());
        assertEquals(200, r.maxCharts());
        assertEquals(2, ScoreRequest.of(files(List.of(Path.of("data")), 500, "in-process", 2), NOW, 4).parallel());
    }

    @Test
    void shouldBackfillTheWindowGiven() {
        ScoreRequest r = ScoreRequest.of(backfill("2026-01-01", "7d", "pump-*"), NOW, 4);
        assertTrue(r.backfills());
        BackfillService.Request b = r.backfill();
        assertEquals("readings", b.topic());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), b.from());
        assertEquals(Instant.parse("2026-01-25T00:00:00Z"), b.to());
        assertTrue(b.series().matches("pump-1") && !b.series().matches("fan-1"));
        assertTrue(b.fresh() && !b.retrain() && b.keepTopics() && !b.charts());
        assertEquals(ScoringRun.Engine.BROKER, b.engine());
        assertEquals(OUT, b.out());
        assertEquals(50, b.maxCharts());
    }

    @Test
    void shouldRefuseWhatCannotBeRunNamingTheOption() {
        assertEquals("give CSV files or folders to score, or --topic for a backfill", refusal(files(List.of(), 500, "in-process", null)));
        assertEquals("give either files or --topic, not both", refusal(new ScoreRequest.Given(List.of(Path.of("data")), "readings",
                "7d", "now", null, OUT, false, true, 500, "in-process", false, false, null, 200)));
        assertEquals("--topic needs --from", refusal(backfill(null, "now", null)));
        assertEquals("--batch must be at least 1", refusal(files(List.of(Path.of("data")), 0, "in-process", null)));
        assertEquals("--parallel must be at least 1", refusal(files(List.of(Path.of("data")), 500, "in-process", 0)));
        assertTrue(refusal(files(List.of(Path.of("data")), 500, "carrier-pigeon", null)).startsWith("--engine: unknown engine 'carrier-pigeon'"));
        assertTrue(refusal(backfill("yesterday", "now", null)).startsWith("--from: 'yesterday' is not a time"));
        assertTrue(refusal(backfill("7d", "soon", null)).startsWith("--to: "));
        assertEquals("--from 2026-01-02T00:00:00Z is not before --to 2026-01-01T00:00:00Z", refusal(backfill("2026-01-02", "2026-01-01", null)));
        assertTrue(refusal(backfill("7d", "now", "/[/")).startsWith("--series: "));
    }
}
