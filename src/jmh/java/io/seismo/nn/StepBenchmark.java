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

/** Latency of one inference step (one reading of one series), per cell and hidden size; one layer, one input. */
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

    private Network network;
    private double[] state;
    private double[] scratch;
    private double x;

    @Setup
    public void setUp() {
        network = Network.initialise(new NetworkShape(CellType.parse(cell), 1, hidden, 1), 7);
        state = network.newState();
        scratch = network.newScratch();
    }

    @Benchmark
    public double step() {
        // Feed the output back so the JIT cannot hoist the step, and keep the input bounded.
        x = Math.tanh(network.step(state, x, scratch));
        return x;
    }
}
