package io.seismo.nn;

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
 * Latency of one inference step (one reading of one series), per cell, hidden size and inputs per step; one layer.
 * {@code exact} is {@link Network#step}, the double reference; {@code kernel} is {@link InferenceKernel#step}, what
 * the detector runs. inputs=5 is the detector's default encoding (value, time of day, day of week).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StepBenchmark {
    @Param({"lstm", "lstm-peephole", "lstm-coupled", "gru", "rnn"})
    public String cell;

    @Param({"16", "32", "64", "128"})
    public int hidden;

    @Param({"1", "5"})
    public int inputs;

    private Network network;
    private InferenceKernel kernel;
    private double[] state;
    private double[] scratch;
    private InferenceKernel.Scratch kernelScratch;
    private double[] input;

    @Setup
    public void setUp() {
        network = Network.initialise(new NetworkShape(CellType.parse(cell), inputs, hidden, 1), 7);
        kernel = InferenceKernel.of(network);
        state = network.newState();
        scratch = network.newScratch();
        kernelScratch = kernel.newScratch();
        input = new double[inputs];
        for (int k = 1; k < inputs; k++) {
            input[k] = 0.5 / k;
        }
    }

    @Benchmark
    public double exact() {
        // Feed the output back so the JIT cannot hoist the step, and keep the input bounded (a clamp: Math.tanh here
        // would add a library call of its own to every step timed).
        input[0] = Math.max(-1.0, Math.min(1.0, network.step(state, input, scratch)));
        return input[0];
    }

    @Benchmark
    public double kernel() {
        input[0] = Math.max(-1.0, Math.min(1.0, kernel.step(state, input, kernelScratch)));
        return input[0];
    }
}
