package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeriesPatternTest {
    @Test
    void shouldMatchAGlobAgainstTheWholeSeriesId() {
        SeriesPattern p = SeriesPattern.of("sensor-*");
        assertTrue(p.matches("sensor-001"));
        assertTrue(p.matches("sensor-"));
        assertFalse(p.matches("host-sensor-001"), "a glob is anchored at the start");
        assertFalse(p.matches("Sensor-001"), "matching is case-sensitive");
        assertTrue(SeriesPattern.of("*-seasonal").matches("sensor-020-seasonal"));
        assertFalse(SeriesPattern.of("*-seasonal").matches("sensor-020-seasonal-2"), "a glob is anchored at the end");
    }

    @Test
    void shouldMatchOneCharacterForAQuestionMark() {
        SeriesPattern p = SeriesPattern.of("sensor-00?");
        assertTrue(p.matches("sensor-007"));
        assertFalse(p.matches("sensor-0070"));
        assertFalse(p.matches("sensor-00"));
    }

    @Test
    void shouldTakeEveryOtherGlobCharacterLiterally() {
        SeriesPattern p = SeriesPattern.of("cpu.load[1](x)+");
        assertTrue(p.matches("cpu.load[1](x)+"));
        assertFalse(p.matches("cpuXload[1](x)+"), "a dot is a dot");
        assertTrue(SeriesPattern.of("host.*.cpu").matches("host.a.b.cpu"));
    }

    @Test
    void shouldReadARegularExpressionBetweenSlashesAndFindItAnywhere() {
        SeriesPattern p = SeriesPattern.of("/sensor-0[12]/");
        assertTrue(p.matches("sensor-01"));
        assertTrue(p.matches("old-sensor-021"), "a regular expression is found anywhere unless anchored");
        assertFalse(p.matches("sensor-03"));
        SeriesPattern anchored = SeriesPattern.of("/^sensor-0[12]$/");
        assertTrue(anchored.matches("sensor-02"));
        assertFalse(anchored.matches("sensor-021"));
    }

    @Test
    void shouldKeepEverythingForAStarOrAll() {
        assertTrue(SeriesPattern.of("*").all());
        assertTrue(SeriesPattern.ALL.matches("anything"));
        assertTrue(SeriesPattern.ALL.matches(null), "records without a key are kept when no pattern is given");
    }

    @Test
    void shouldNeverMatchARecordWithoutAKeyWhenAPatternIsGiven() {
        assertFalse(SeriesPattern.of("sensor-*").matches(null));
        assertFalse(SeriesPattern.of("/.*/").matches(null));
    }

    @Test
    void shouldRejectAnEmptyPatternOrAnInvalidRegularExpression() {
        assertThrows(IllegalArgumentException.class, () -> SeriesPattern.of(""));
        assertThrows(IllegalArgumentException.class, () -> SeriesPattern.of("/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeriesPattern.of("/sensor-[/"));
        assertTrue(e.getMessage().contains("/sensor-[/") && e.getMessage().contains("not a valid regular expression"), e.getMessage());
    }
}
