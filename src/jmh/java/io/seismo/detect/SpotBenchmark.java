package io.seismo.detect;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SPOT observation, averaged over a stream, once every peak slot is in use (the detector's defaults: 128 peaks kept,
 * t at the calibration's 0.98 quantile): refitting the tail on every peak against once per {@code peaks / 16} new peaks.
 * The stream is half-normal, as a smoothed absolute error is; about one value in twenty is a peak.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpotBenchmark {
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
