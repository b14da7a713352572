package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SeverityTest {

    @Test
    void shouldBandTheRatioOfErrorToThreshold() {
        assertEquals(Severity.LOW, Severity.of(0.0));
        assertEquals(Severity.LOW, Severity.of(1.0));
        assertEquals(Severity.LOW, Severity.of(1.4999));
        assertEquals(Severity.MEDIUM, Severity.of(1.5));
        assertEquals(Severity.MEDIUM, Severity.of(2.4999));
        assertEquals(Severity.HIGH, Severity.of(2.5));
        assertEquals(Severity.HIGH, Severity.of(3.9999));
        assertEquals(Severity.CRITICAL, Severity.of(4.0));
        assertEquals(Severity.CRITICAL, Severity.of(Double.POSITIVE_INFINITY));
    }

    @Test
    void shouldRejectANanRatio() {
        assertThrows(IllegalArgumentException.class, () -> Severity.of(Double.NaN));
    }

    @Test
    void shouldRoundTripOrdinals() {
        for (Severity s : Severity.values()) {
            assertEquals(s, Severity.ofOrdinal(s.ordinal()));
        }
        assertThrows(IllegalArgumentException.class, () -> Severity.ofOrdinal(4));
    }
}
