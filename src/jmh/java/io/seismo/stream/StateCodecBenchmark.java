package io.seismo.stream;

import io.seismo.ShortNanosBenchmark;
import io.seismo.config.SeismoConfig;
import io.seismo.detect.SeriesState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The packed state's codec alone, the two ends of {@link DetectorRecordBenchmark}'s work: read a stored state into the
 * reused instance, and write a decoded state into the array the store keeps, over 1,000 series of 1,200 readings each
 * (thresholds calibrated, as the detector holds them at the defaults).
 */
public class StateCodecBenchmark extends ShortNanosBenchmark {
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
