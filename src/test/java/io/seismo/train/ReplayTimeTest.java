package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ReplayTimeTest {
    private static final Instant NOW = Instant.parse("2026-03-15T12:30:00Z");

    @Test
    void shouldReadAnIsoInstant() {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), ReplayTime.parse("2026-01-01T00:00:00Z", NOW));
        assertEquals(Instant.parse("2026-01-01T06:15:30.250Z"), ReplayTime.parse("2026-01-01T06:15:30.250Z", NOW));
    }

    @Test
    void shouldConvertAnIsoInstantWithAnOffsetToUtc() {
        assertEquals(Instant.parse("2025-12-31T22:00:00Z"), ReplayTime.parse("2026-01-01T00:00:00+02:00", NOW));
    }

    @Test
    void shouldReadADateAsMidnightUtc() {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), ReplayTime.parse("2026-01-01", NOW));
    }

    @Test
    void shouldReadDigitsAsEpochMillis() {
        assertEquals(Instant.ofEpochMilli(1_767_225_600_000L), ReplayTime.parse("1767225600000", NOW));
        assertEquals(Instant.EPOCH, ReplayTime.parse("0", NOW));
    }

    @Test
    void shouldCountDurationsBackFromNow() {
        assertEquals(NOW.minus(Duration.ofDays(7)), ReplayTime.parse("7d", NOW));
        assertEquals(NOW.minus(Duration.ofHours(12)), ReplayTime.parse("12h", NOW));
        assertEquals(NOW.minus(Duration.ofMinutes(30)), ReplayTime.parse("30m", NOW));
        assertEquals(NOW.minus(Duration.ofSeconds(90)), ReplayTime.parse("90s", NOW));
        assertEquals(NOW.minus(Duration.ofMillis(500)), ReplayTime.parse("500ms", NOW));
        assertEquals(NOW.minus(Duration.ofDays(14)), ReplayTime.parse("2w", NOW));
        assertEquals(NOW.minus(Duration.ofDays(7)), ReplayTime.parse(" 7D ", NOW), "case and surrounding blanks do not matter");
    }

    @Test
    void shouldReadNowAsNow() {
        assertEquals(NOW, ReplayTime.parse("now", NOW));
    }

    @Test
    void shouldRejectTextThatIsNoTimeNamingTheAcceptedForms() {
        for (String bad : new String[] {"yesterday", "7 days", "2026-13-01", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00", "-5d", "",
                "99999999999999999999", "7y"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayTime.parse(bad, NOW), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not a time"), e.getMessage());
            assertTrue(e.getMessage().contains("2026-01-01T00:00:00Z") && e.getMessage().contains("7d"), e.getMessage());
        }
    }
}
