package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The window of readings seismo replay and seismo score --topic are given, or a line naming the option that is wrong. */
class ReadingWindowTest {
    private static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");

    @Test
    void shouldReadTheTimesAgainstNowAndTheSeriesPattern() {
        ReadingWindow w = ReadingWindow.of("2026-01-31", "now", "pump-*", NOW);
        assertEquals(Instant.parse("2026-01-31T00:00:00Z"), w.from());
        assertEquals(NOW, w.to());
        assertTrue(w.series().matches("pump-7") && !w.series().matches("fan-1"));
        assertFalse(w.empty());
        assertSame(SeriesPattern.ALL, ReadingWindow.of("1d", "now", null, NOW).series(), "no pattern: every series");
        assertTrue(ReadingWindow.of("now", "now", null, NOW).empty(), "[now, now) holds nothing");
    }

    @Test
    void shouldNameTheOptionWhoseValueCannotBeRead() {
        assertTrue(message("yesterday", "now", null).startsWith("--from: 'yesterday' is not a time"));
        assertTrue(message("1d", "later", null).startsWith("--to: 'later' is not a time"));
        assertTrue(message("1d", "now", "/[/").startsWith("--series: "));
    }

    private static String message(String from, String to, String series) {
        return assertThrows(IllegalArgumentException.class, () -> ReadingWindow.of(from, to, series, NOW)).getMessage();
    }
}
