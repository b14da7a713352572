package io.seismo.stream;

import io.seismo.ShortNanosBenchmark;
import io.seismo.config.SeismoConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The detector's own work for one reading, without Kafka: read the series' packed state, advance it one step with the
 * default model (LSTM, one layer of 32) and write it back, round-robin over 1,000 series whose thresholds are
 * calibrated ({@code age=young}: 1,200 readings each) or over 50 full-grown series ({@code age=grown}: 20,000 readings
 * each, every SPOT peak slot in use). With {@code -prof gc} it gives the bytes the detector itself allocates per record.
 */
public class DetectorRecordBenchmark extends ShortNanosBenchmark {
    @Param({"young", "grown"})
    public String age;

    private DetectorWorkload workload;

    @Setup
    public void setUp() {
        boolean grown = "grown".equals(age);
        int series = grown ? 50 : 1_000;
        int readings = grown ? 20_000 : 1_200;
        workload = new DetectorWorkload(SeismoConfig.defaults(), series, 7);
        // Past warm-up and calibration, so the threshold's steady-state path is what is measured.
        for (long i = 0, n = (long) series * readings; i < n; i++) {
            workload.record();
        }
    }

    /** The array the store keeps is the one allocation the path needs; say how big it is, to set against B/op. */
    @TearDown
    public void reportStoredSize() {
        // Each array also carries a 16-byte header on a 64-bit JVM with compressed class pointers.
        System.out.printf("%nstored state: %.0f bytes per series (+16 array header)%n", workload.storedBytesPerSeries());
    }

    @Benchmark
    public int record() {
        return workload.record();
    }
}
