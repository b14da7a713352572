package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ReplayerTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldRefuseAWindowWhoseStartIsNotBeforeItsEnd() {
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> new Replayer.Request("readings", T, T, SeriesPattern.ALL, "training"));
        assertTrue(same.getMessage().contains("is not before"), same.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Replayer.Request("readings", T.plusSeconds(1), T, SeriesPattern.ALL, "training"));
    }

    @Test
    void shouldReportTheRateOfRecordsReadPerSecond() {
        Replayer.Summary s = new Replayer.Summary(2, 4, 500, 300, 1, 199, 0, 300, T, T.plusSeconds(60), Duration.ofMillis(250));
        assertEquals(2000.0, s.rate(), 1e-9);
        assertEquals(0.0, new Replayer.Summary(0, 4, 0, 0, 0, 0, 0, 0, null, null, Duration.ZERO).rate(), "no division by zero");
    }
}
