package io.seismo.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training throughput: one epoch of truncated BPTT with Adam (the default training configuration: windows of 32, 20%
 * of each sequence's windows held out) over 16 sequences of 1,025 values: 26 of each sequence's 32 windows are trained
 * (forward and backward), 13,312 sequence steps, and 6 are evaluated forward only. Steps per second = 13,312 / the
 * time per epoch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingBenchmark {
    @Param({"lstm"})
    public String cell;

    @Param({"32"})
    public int hidden;

    @Param({"1", "2"})
    public int threads;

    private Network start;
    private List<double[]> sequences;
    private TrainingConfig config;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(3);
        sequences = new ArrayList<>();
        for (int s = 0; s < 16; s++) {
            double[] seq = new double[1025];
            for (int i = 0; i < seq.length; i++) {
                seq[i] = Math.sin(i * 2 * Math.PI / 48 + s) + 0.1 * random.nextGaussian();
            }
            sequences.add(seq);
        }
        start = Network.initialise(new NetworkShape(CellType.parse(cell), 1, hidden, 1), 5);
        config = TrainingConfig.defaults().withMaxEpochs(1).withThreads(threads);
    }

    @Benchmark
    public TrainingResult epoch() {
        return Trainer.train(start, sequences, config, TrainingListener.NONE);
    }
}
