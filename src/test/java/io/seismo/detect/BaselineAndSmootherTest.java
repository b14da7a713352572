package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BaselineAndSmootherTest {

    @Test
    void shouldPredictTheScaledMeanBeforeAnyValue() {
        BaselineForecaster f = new BaselineForecaster(0.3);
        assertFalse(f.hasLevel());
        assertEquals(0.0, f.predict());
    }

    @Test
    void shouldPredictExactlyTheLastValueWithAlphaOne() {
        BaselineForecaster f = new BaselineForecaster(1.0);
        for (double z : new double[] {0.1, 0.3, -7.77, 1e-17}) {
            f.update(z);
            assertEquals(z, f.predict());
        }
    }

    @Test
    void shouldSmoothTheLevelWithAlpha() {
        BaselineForecaster f = new BaselineForecaster(0.5);
        f.update(2.0);
        assertEquals(2.0, f.predict(), "the first value is the level");
        f.update(4.0);
        assertEquals(3.0, f.predict(), 1e-15);
        f.update(4.0);
        assertEquals(3.5, f.predict(), 1e-15);
    }

    @Test
    void shouldRestoreTheForecasterFromItsSnapshot() {
        BaselineForecaster f = new BaselineForecaster(0.2);
        f.update(1.0);
        f.update(3.0);
        BaselineForecaster g = BaselineForecaster.restore(0.2, f.snapshot());
        f.update(-2.0);
        g.update(-2.0);
        assertEquals(Double.doubleToLongBits(f.predict()), Double.doubleToLongBits(g.predict()));
        assertTrue(g.hasLevel());
    }

    @Test
    void shouldReturnTheAbsoluteErrorWithoutSmoothing() {
        ErrorSmoother s = new ErrorSmoother(1.0);
        assertEquals(0.7, s.update(-0.7));
        assertEquals(0.2, s.update(0.2));
    }

    @Test
    void shouldSmoothTheAbsoluteError() {
        ErrorSmoother s = new ErrorSmoother(0.25);
        assertEquals(1.0, s.update(-4.0), 1e-15);
        assertEquals(1.75, s.update(4.0), 1e-15);
        ErrorSmoother restored = ErrorSmoother.restore(0.25, s.value());
        assertEquals(s.update(1.0), restored.update(1.0));
    }

    @Test
    void shouldRejectAlphaOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorSmoother(0.0));
        assertThrows(IllegalArgumentException.class, () -> new ErrorSmoother(1.5));
        assertThrows(IllegalArgumentException.class, () -> new BaselineForecaster(0.0));
        assertThrows(IllegalArgumentException.class, () -> new BaselineForecaster(Double.NaN));
    }
}
