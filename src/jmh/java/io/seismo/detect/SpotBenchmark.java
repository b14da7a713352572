package io.seismo.detect;

import java.util.Random;

import io.seismo.ShortNanosBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One SPOT observation, averaged over a stream, once every peak slot is in use (the detector's defaults: 128 peaks kept,
 * t at the calibration's 0.98 quantile): refitting the tail on every peak against once per {@code peaks / 16} new peaks.
 * The stream is half-normal, as a smoothed absolute error is; about one value in twenty is a peak.
 */
public class SpotBenchmark extends ShortNanosBenchmark {
    @Param({"every-peak", "amortised"})
    public String refit;

    private static final int VALUES = 1 << 16;
    private final double[] values = new double[VALUES];
    private Spot spot;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        for (int i = 0; i < VALUES; i++) {
            values[i] = Math.abs(random.nextGaussian());
        }
        spot = new Spot(new SpotConfig(1e-4, 200, 0.98, 128, 0), "every-peak".equals(refit) ? 0 : Spot.REFIT_SHARE);
        for (int i = 0; i < 200_000; i++) {
            spot.observe(values[i & (VALUES - 1)]);
        }
    }

    @Benchmark
    public Outcome observe() {
        next = (next + 1) & (VALUES - 1);
        return spot.observe(values[next]);
    }
}
