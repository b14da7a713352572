package io.seismo.stream;

import java.util.concurrent.TimeUnit;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.SeriesState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The packed state's codec alone, the two ends of {@link DetectorRecordBenchmark}'s work: read a stored state into the
 * reused instance, and write a decoded state into the array the store keeps, over 1,000 series of 1,200 readings each
 * (thresholds calibrated, as the detector holds them at the defaults).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StateCodecBenchmark {
    private static final int SERIES = 1_000;

    private PackedSeriesState codec;
    private byte[][] stored;
    private SeriesState[] decoded;
    private SeriesState reuse;
    private int next;

    @Setup
    public void setUp() {
        DetectorWorkload workload = new DetectorWorkload(SeismoConfig.defaults(), SERIES, 7);
        for (long i = 0; i < (long) SERIES * 1_200; i++) {
            workload.record();
        }
        codec = workload.codec();
        stored = new byte[SERIES][];
        decoded = new SeriesState[SERIES];
        for (int s = 0; s < SERIES; s++) {
            stored[s] = workload.stored(s);
            decoded[s] = codec.decode(stored[s]);
        }
        reuse = workload.newState();
    }

    @Benchmark
    public SeriesState decode() {
        int s = next;
        next = s + 1 == SERIES ? 0 : s + 1;
        return codec.decodeInto(stored[s], reuse);
    }

    @Benchmark
    public byte[] encode() {
        int s = next;
        next = s + 1 == SERIES ? 0 : s + 1;
        return codec.encode(decoded[s]);
    }
}
