package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SeverityBandTest {

    @Test
    void shouldBandTheRatioOfErrorToThreshold() {
        assertEquals(SeverityBand.LOW, SeverityBand.of(0.0));
        assertEquals(SeverityBand.LOW, SeverityBand.of(1.0));
        assertEquals(SeverityBand.LOW, SeverityBand.of(1.4999));
        assertEquals(SeverityBand.MEDIUM, SeverityBand.of(1.5));
        assertEquals(SeverityBand.MEDIUM, SeverityBand.of(2.4999));
        assertEquals(SeverityBand.HIGH, SeverityBand.of(2.5));
        assertEquals(SeverityBand.HIGH, SeverityBand.of(3.9999));
        assertEquals(SeverityBand.CRITICAL, SeverityBand.of(4.0));
        assertEquals(SeverityBand.CRITICAL, SeverityBand.of(Double.POSITIVE_INFINITY));
    }

    @Test
    void shouldRejectANanRatio() {
        assertThrows(IllegalArgumentException.class, () -> SeverityBand.of(Double.NaN));
    }

    @Test
    void shouldRoundTripOrdinals() {
        for (SeverityBand s : SeverityBand.values()) {
            assertEquals(s, SeverityBand.ofOrdinal(s.ordinal()));
        }
        assertThrows(IllegalArgumentException.class, () -> SeverityBand.ofOrdinal(4));
    }
}
