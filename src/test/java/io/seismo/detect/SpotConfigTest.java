package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SpotConfigTest {

    private static void assertRejected(String expectedInMessage, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void shouldAcceptTheDefaults() {
        assertDoesNotThrow(() -> new SpotConfig(1e-3, 150, 0.98, 256, 0));
        assertDoesNotThrow(() -> new SpotConfig(1e-4, 10, 0.5, 10, 50));
    }

    @Test
    void shouldRejectARiskOutsideTheOpenUnitInterval() {
        assertRejected("risk must be in (0, 1)", () -> new SpotConfig(0.0, 150, 0.98, 256, 0));
        assertRejected("risk must be in (0, 1)", () -> new SpotConfig(-1e-3, 150, 0.98, 256, 0));
        assertRejected("risk must be in (0, 1)", () -> new SpotConfig(1.0, 150, 0.98, 256, 0));
        assertRejected("risk must be in (0, 1)", () -> new SpotConfig(Double.NaN, 150, 0.98, 256, 0));
    }

    @Test
    void shouldRejectARiskNotBeyondTheInitialQuantile() {
        assertRejected("risk must be smaller than 1 - initialQuantile", () -> new SpotConfig(0.05, 150, 0.98, 256, 0));
    }

    @Test
    void shouldRejectACalibrationSetSmallerThanTen() {
        assertRejected("calibrationSize must be >= 10", () -> new SpotConfig(1e-3, 9, 0.98, 256, 0));
    }

    @Test
    void shouldRejectAnInitialQuantileOutsideTheOpenUnitInterval() {
        assertRejected("initialQuantile must be in (0, 1)", () -> new SpotConfig(1e-3, 150, 0.0, 256, 0));
        assertRejected("initialQuantile must be in (0, 1)", () -> new SpotConfig(1e-3, 150, 1.0, 256, 0));
        assertRejected("initialQuantile must be in (0, 1)", () -> new SpotConfig(1e-3, 150, Double.NaN, 256, 0));
    }

    @Test
    void shouldRejectFewerThanTenPeaks() {
        assertRejected("maxPeaks must be >= 10", () -> new SpotConfig(1e-3, 150, 0.98, 9, 0));
    }

    @Test
    void shouldRejectANegativeDriftDepth() {
        assertRejected("driftDepth must be >= 0", () -> new SpotConfig(1e-3, 150, 0.98, 256, -1));
    }
}
