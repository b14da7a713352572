package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OnlineScalerTest {

    @Test
    void shouldMatchTwoPassMeanAndVarianceDuringTheWelfordPhase() {
        Random r = new Random(21);
        double[] xs = new double[500];
        OnlineScaler scaler = new OnlineScaler(1_000);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 1_000.0 + 3.0 * r.nextGaussian();
            scaler.update(xs[i]);
        }
        double mean = 0.0;
        for (double x : xs) {
            mean += x;
        }
        mean /= xs.length;
        double variance = 0.0;
        for (double x : xs) {
            variance += (x - mean) * (x - mean);
        }
        variance /= xs.length;
        assertEquals(mean, scaler.mean(), 1e-9);
        assertEquals(variance, scaler.variance(), 1e-9 * variance);
        assertEquals(Math.sqrt(variance), scaler.std(), 1e-9);
        assertEquals(500, scaler.count());
    }

    @Test
    void shouldTrackALevelShiftAfterTheHorizon() {
        Random r = new Random(22);
        OnlineScaler scaler = new OnlineScaler(50);
        for (int i = 0; i < 500; i++) {
            scaler.update(10.0 + r.nextGaussian());
        }
        assertEquals(10.0, scaler.mean(), 0.5);
        for (int i = 0; i < 500; i++) {
            scaler.update(20.0 + r.nextGaussian());
        }
        assertEquals(20.0, scaler.mean(), 0.5);
        assertEquals(1.0, scaler.std(), 0.4, "the shift has left the variance");
        assertTrue(Math.abs(scaler.scale(20.0)) < 1.0);
    }

    @Test
    void shouldGiveFiniteScaledValuesForAFlatSeries() {
        OnlineScaler scaler = new OnlineScaler(100);
        for (int i = 0; i < 1_000; i++) {
            scaler.update(42.0);
        }
        assertEquals(0.0, scaler.variance());
        assertEquals(0.0, scaler.scale(42.0));
        double z = scaler.scale(43.0);
        assertTrue(Double.isFinite(z) && z > 0.0, "scaled " + z);
        assertEquals(42.0 * OnlineScaler.STD_FLOOR_RELATIVE, scaler.std(), 1e-15);
        OnlineScaler zeros = new OnlineScaler(100);
        zeros.update(0.0);
        assertEquals(OnlineScaler.STD_FLOOR_ABSOLUTE, zeros.std());
        assertTrue(Double.isFinite(zeros.scale(1.0)));
    }

    @Test
    void shouldInvertScaleWithUnscale() {
        Random r = new Random(23);
        OnlineScaler scaler = new OnlineScaler(100);
        for (int i = 0; i < 300; i++) {
            scaler.update(5.0 + 2.0 * r.nextGaussian());
        }
        assertEquals(7.5, scaler.unscale(scaler.scale(7.5)), 1e-12);
    }

    @Test
    void shouldContinueBitIdenticallyAfterSnapshotAndRestore() {
        Random r = new Random(24);
        OnlineScaler live = new OnlineScaler(30);
        OnlineScaler persisted = new OnlineScaler(30);
        for (int i = 0; i < 200; i++) {
            double x = r.nextGaussian() * 5 + i;
            live.update(x);
            persisted = OnlineScaler.restore(30, persisted.snapshot());
            persisted.update(x);
            assertEquals(Double.doubleToLongBits(live.scale(x)), Double.doubleToLongBits(persisted.scale(x)));
        }
        assertEquals(live.snapshot(), persisted.snapshot());
    }

    @Test
    void shouldRejectBadInputs() {
        assertThrows(IllegalArgumentException.class, () -> new OnlineScaler(1));
        assertThrows(IllegalArgumentException.class, () -> new OnlineScaler(10).update(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ScalerState(1, 0.0, -1.0));
    }
}
