package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every cell type through the public {@link Network} and {@link Trainer}: stepping, learning, reproducibility. */
class CellBehaviourTest {

    @ParameterizedTest
    @EnumSource(CellType.class)
    void everyCellShouldLearnANoisySineClearlyBelowTheNaiveForecaster(CellType cell) {
        // TrainerTest's learning problem and configuration.
        List<double[]> data = TrainerTest.noisySines(4, 600, 1);
        TrainingConfig config = new TrainingConfig(24, 8, 60, 1e-2, 1.0, 0.2, 8, 7);
        TrainingResult result = Trainer.train(Network.initialise(new NetworkShape(cell, 1, 8, 1), 3), data, config,
                TrainingListener.NONE);

        assertTrue(result.validationLoss() < 0.7 * result.naiveLoss(),
                cell + " validation " + result.validationLoss() + " vs naive " + result.naiveLoss());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void trainingShouldBeReproducibleForASeedAndDifferAcrossSeeds(CellType cell) {
        List<double[]> data = TrainerTest.noisySines(2, 200, 2);
        TrainingConfig config = new TrainingConfig(16, 4, 3, 1e-2, 1.0, 0.2, 3, 11);
        Network start = Network.initialise(new NetworkShape(cell, 1, 6, 2), 5);
        double[] first = Trainer.train(start, data, config, TrainingListener.NONE).network().parameters();
        double[] again = Trainer.train(start, data, config, TrainingListener.NONE).network().parameters();
        double[] otherSeed = Trainer.train(start, data, config.withSeed(12), TrainingListener.NONE)
                .network().parameters();
        assertArrayEquals(first, again, 0.0);
        assertFalse(Arrays.equals(first, otherSeed));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void stepShouldAllocateNothing(CellType cell) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM must measure per-thread allocation, or the check below would pass vacuously");
        Network network = Network.initialise(new NetworkShape(cell, 1, 16, 2), 5);
        double[] state = network.newState();
        double[] scratch = network.newScratch();
        double[] input = new double[1];
        double sink = 0;
        for (int t = 0; t < 20_000; t++) {
            input[0] = t % 7;
            sink += network.step(state, input, scratch) + network.step(state, input[0], scratch);
        }
        long threadId = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(threadId);
        for (int t = 0; t < 10_000; t++) {
            input[0] = t % 5;
            sink += network.step(state, input, scratch) + network.step(state, input[0], scratch);
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(Double.isFinite(sink));
        assertTrue(allocated < 10_000, cell + " allocated " + allocated + " bytes over 20,000 steps");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void headShouldReadTheTopLayersHFromTheStartOfItsState(CellType cell) {
        // The head's output must be the head applied to the first H values of the top layer's state.
        NetworkShape shape = new NetworkShape(cell, 3, 4, 2);
        LayerStack stack = new LayerStack(shape);
        double[] params = Network.initialise(shape, 1).parameters();
        double[] state = new double[shape.stateSize()];
        double[] scratch = new double[stack.maxCacheSize];
        double[] input = {0.3, -0.2, 0.9};
        for (int t = 0; t < 3; t++) {
            double output = stack.forward(params, input, 0, state, scratch, 0, true);
            double expected = params[stack.headBiasOffset];
            for (int j = 0; j < shape.hiddenSize(); j++) {
                expected += params[stack.headWeightsOffset + j] * state[stack.topHiddenOffset + j];
            }
            assertEquals(expected, output, 1e-15);
        }
        // h is in (-1, 1) for every cell; and an input change must reach it.
        for (int j = 0; j < shape.hiddenSize(); j++) {
            assertTrue(Math.abs(state[stack.topHiddenOffset + j]) < 1.0);
        }
        double[] before = Arrays.copyOfRange(state, stack.topHiddenOffset, stack.topHiddenOffset + 4);
        stack.forward(params, new double[] {-1, 1, -1}, 0, state, scratch, 0, true);
        assertFalse(Arrays.equals(before,
                Arrays.copyOfRange(state, stack.topHiddenOffset, stack.topHiddenOffset + 4)));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void arrayAndScalarStepsShouldAgreeAndDependOnTheInput(CellType cell) {
        Network network = Network.initialise(new NetworkShape(cell, 1, 4, 2), 3);
        double[] arrayState = network.newState();
        double[] scalarState = network.newState();
        double[] scratch = network.newScratch();
        double[] input = new double[1];
        for (int t = 0; t < 20; t++) {
            input[0] = Math.sin(t * 0.3);
            double viaArray = network.step(arrayState, input, scratch);
            double viaScalar = network.step(scalarState, input[0], scratch);
            assertEquals(viaArray, viaScalar, 0.0);
        }
        assertArrayEquals(arrayState, scalarState, 0.0);
        assertNotEquals(network.step(network.newState(), 1.0, scratch),
                network.step(network.newState(), -1.0, scratch));
    }
}
