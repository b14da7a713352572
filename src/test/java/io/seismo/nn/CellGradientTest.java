package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-propagation through time of every cell type against central differences, with the criterion of
 * {@link NextValueObjectiveTest}: a component is wrong when its relative error reaches 1e-5 and its absolute
 * error reaches 1e-9.
 *
 * <p>With one input the gradient comes from {@link NextValueObjective#lossAndGradient}, the production path.
 * {@link NextValueObjective} only takes one input, so with extra inputs the same mean squared next-value loss is
 * driven here over {@link LayerStack} (target: the next step's first input), which also exposes dLoss/dx.
 */
class CellGradientTest {

    private static final double EPSILON = 1e-6;
    private static final double MAX_RELATIVE_ERROR = 1e-5;
    private static final double ABSOLUTE_FLOOR = 1e-9;

    /** A random small problem: shape, parameters and two windows of {@code inputSize} values per step. */
    private record Problem(NetworkShape shape, double[] params, double[] inputs, int windowCount, int windowLength) {

        static Problem random(CellType cell, int inputSize, int layers, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int hidden = 3 + random.nextInt(3);
            int windowLength = 5 + random.nextInt(3);
            NetworkShape shape = new NetworkShape(cell, inputSize, hidden, layers);
            double[] params = new double[shape.parameterCount()];
            for (int k = 0; k < params.length; k++) {
                params[k] = random.nextDouble(-0.8, 0.8);
            }
            int windowCount = 2;
            double[] inputs = new double[windowCount * windowLength * inputSize];
            for (int k = 0; k < inputs.length; k++) {
                inputs[k] = random.nextDouble(-1.5, 1.5);
            }
            return new Problem(shape, params, inputs, windowCount, windowLength);
        }

        double loss(double[] probeParams, double[] probeInputs) {
            if (shape.inputSize() == 1) {
                double[][] split = valueWindows(probeInputs, windowCount, windowLength);
                return NextValueObjective.loss(shape, probeParams, split[0], split[1], windowCount, windowLength - 1,
                        new Workspace(shape, windowLength));
            }
            return MultiInputObjective.lossAndGradient(shape, probeParams, probeInputs, windowCount, windowLength,
                    null, null);
        }

        double[] analyticGradient() {
            double[] gradient = new double[params.length];
            if (shape.inputSize() == 1) {
                double[][] split = valueWindows(inputs, windowCount, windowLength);
                NextValueObjective.lossAndGradient(shape, params, split[0], split[1], windowCount, windowLength - 1,
                        gradient, new Workspace(shape, windowLength));
            } else {
                MultiInputObjective.lossAndGradient(shape, params, inputs, windowCount, windowLength, gradient,
                        new double[inputs.length]);
            }
            return gradient;
        }

        /** Indices of parameters whose analytic derivative disagrees with central differences. */
        List<Integer> mismatches(double[] analytic) {
            double[] probe = params.clone();
            List<Integer> mismatched = new ArrayList<>();
            for (int k = 0; k < probe.length; k++) {
                probe[k] = params[k] + EPSILON;
                double above = loss(probe, inputs);
                probe[k] = params[k] - EPSILON;
                double below = loss(probe, inputs);
                probe[k] = params[k];
                if (disagree(analytic[k], (above - below) / (2 * EPSILON))) {
                    mismatched.add(k);
                }
            }
            return mismatched;
        }

        /** Indices of inputs whose analytic derivative disagrees with central differences. */
        List<Integer> inputMismatches(double[] analytic) {
            double[] probe = inputs.clone();
            List<Integer> mismatched = new ArrayList<>();
            for (int k = 0; k < probe.length; k++) {
                probe[k] = inputs[k] + EPSILON;
                double above = loss(params, probe);
                probe[k] = inputs[k] - EPSILON;
                double below = loss(params, probe);
                probe[k] = inputs[k];
                if (disagree(analytic[k], (above - below) / (2 * EPSILON))) {
                    mismatched.add(k);
                }
            }
            return mismatched;
        }

        private static boolean disagree(double analytic, double numeric) {
            double difference = Math.abs(analytic - numeric);
            double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), 1e-8);
            return difference / scale >= MAX_RELATIVE_ERROR && difference >= ABSOLUTE_FLOOR;
        }
    }

    /**
     * Mean squared next-value loss over windows of multi-valued inputs: input {@code x[t]} (inputSize values),
     * target the first value of {@code x[t+1]}; every window starts from a zero state. Mirrors
     * {@link NextValueObjective} step for step, using only the {@link RecurrentCell} contract.
     */
    static final class MultiInputObjective {

        private MultiInputObjective() {
        }

        /**
         * @param gradOut overwritten with dLoss/dparams, or null for the loss only
         * @param inputGradOut overwritten with dLoss/dinputs, or null
         */
        static double lossAndGradient(NetworkShape shape, double[] params, double[] inputs, int windowCount,
                                      int windowLength, double[] gradOut, double[] inputGradOut) {
            LayerStack stack = new LayerStack(shape);
            int inputSize = shape.inputSize();
            int hidden = shape.hiddenSize();
            int steps = windowLength - 1;
            int top = stack.cells.length - 1;
            double scale = 2.0 / ((double) windowCount * steps);
            double[] state = new double[stack.stateSize];
            double[] cache = new double[steps * stack.cacheSizePerStep];
            double[] topHidden = new double[steps * hidden];
            double[] errors = new double[steps];
            double[] stateGradient = new double[stack.stateSize];
            double[] inputGradient = new double[Math.max(inputSize, hidden)];
            double[] scratch = new double[stack.maxBackwardScratchSize];
            if (gradOut != null) {
                Arrays.fill(gradOut, 0.0);
            }
            if (inputGradOut != null) {
                Arrays.fill(inputGradOut, 0.0);
            }
            double sumSquares = 0.0;
            for (int w = 0; w < windowCount; w++) {
                int base = w * windowLength * inputSize;
                Arrays.fill(state, 0.0);
                for (int t = 0; t < steps; t++) {
                    double prediction = stack.forward(params, inputs, base + t * inputSize, state,
                            cache, t * stack.cacheSizePerStep, false);
                    System.arraycopy(state, stack.topHiddenOffset, topHidden, t * hidden, hidden);
                    errors[t] = prediction - inputs[base + (t + 1) * inputSize];
                    sumSquares += errors[t] * errors[t];
                }
                if (gradOut == null) {
                    continue;
                }
                Arrays.fill(stateGradient, 0.0);
                for (int t = steps - 1; t >= 0; t--) {
                    double outputGradient = scale * errors[t];
                    gradOut[stack.headBiasOffset] += outputGradient;
                    if (inputGradOut != null) {
                        inputGradOut[base + (t + 1) * inputSize] -= outputGradient;
                    }
                    for (int j = 0; j < hidden; j++) {
                        gradOut[stack.headWeightsOffset + j] += outputGradient * topHidden[t * hidden + j];
                        stateGradient[stack.stateOffsets[top] + j] +=
                                outputGradient * params[stack.headWeightsOffset + j];
                    }
                    for (int layer = top; layer >= 0; layer--) {
                        stack.cells[layer].backward(params, stack.parameterOffsets[layer],
                                cache, t * stack.cacheSizePerStep + stack.cacheOffsetsInStep[layer],
                                stateGradient, stack.stateOffsets[layer], inputGradient, 0,
                                gradOut, stack.parameterOffsets[layer], scratch, 0);
                        if (layer > 0) {
                            for (int j = 0; j < hidden; j++) {
                                stateGradient[stack.stateOffsets[layer - 1] + j] += inputGradient[j];
                            }
                        } else if (inputGradOut != null) {
                            for (int k = 0; k < inputSize; k++) {
                                inputGradOut[base + t * inputSize + k] += inputGradient[k];
                            }
                        }
                    }
                }
            }
            return sumSquares / ((double) windowCount * steps);
        }
    }

    static Stream<Arguments> cellsLayersAndInputSizes() {
        List<Arguments> cases = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (int inputSize : new int[] {1, 4}) {
                for (int layers = 1; layers <= 3; layers++) {
                    cases.add(Arguments.of(cell, inputSize, layers));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, inputSize {1}, {2} layer(s)")
    @MethodSource("cellsLayersAndInputSizes")
    void everyParameterGradientShouldMatchCentralDifferences(CellType cell, int inputSize, int layers) {
        for (long seed = 1; seed <= 2; seed++) {
            Problem problem = Problem.random(cell, inputSize, layers, seed * 31 + layers + 7L * inputSize);
            double[] analytic = problem.analyticGradient();
            assertEquals(List.of(), problem.mismatches(analytic),
                    "parameters whose gradient disagrees, " + problem.shape() + ", seed " + seed);
        }
    }

    @ParameterizedTest(name = "{0}, {1} layer(s)")
    @MethodSource("cellsAndLayers")
    void everyInputGradientShouldMatchCentralDifferences(CellType cell, int layers) {
        Problem problem = Problem.random(cell, 4, layers, 17 + layers);
        double[] inputGradient = new double[problem.inputs().length];
        MultiInputObjective.lossAndGradient(problem.shape(), problem.params(), problem.inputs(),
                problem.windowCount(), problem.windowLength(), new double[problem.params().length], inputGradient);
        assertEquals(List.of(), problem.inputMismatches(inputGradient),
                "inputs whose gradient disagrees, " + problem.shape());
    }

    static Stream<Arguments> cellsAndLayers() {
        return Arrays.stream(CellType.values()).flatMap(cell -> Stream.of(1, 2).map(l -> Arguments.of(cell, l)));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void gradientCheckShouldFlagASingleWrongComponentOfEveryCell(CellType cell) {
        Problem problem = Problem.random(cell, 1, 2, 7);
        double[] analytic = problem.analyticGradient();
        // A component inside layer 0's cell parameters, so the corrupted one is a cell weight, not the head.
        int corrupted = (int) cell.parameterCount(1, problem.shape().hiddenSize()) / 2;
        analytic[corrupted] += 1e-3 * Math.max(1.0, Math.abs(analytic[corrupted]));
        assertEquals(List.of(corrupted), problem.mismatches(analytic));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void multiInputObjectiveShouldAgreeWithNextValueObjectiveForOneInput(CellType cell) {
        Problem problem = Problem.random(cell, 1, 2, 5);
        double[] expected = problem.analyticGradient();
        double[] actual = new double[expected.length];
        double loss = MultiInputObjective.lossAndGradient(problem.shape(), problem.params(), problem.inputs(),
                problem.windowCount(), problem.windowLength(), actual, null);
        assertEquals(problem.loss(problem.params(), problem.inputs()), loss, 1e-14);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-14, "component " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void everyLayerAndTheHeadShouldReceiveGradient(CellType cell) {
        Problem problem = Problem.random(cell, 4, 3, 11);
        double[] analytic = problem.analyticGradient();
        LayerStack stack = new LayerStack(problem.shape());
        for (int layer = 0; layer < 3; layer++) {
            int from = stack.parameterOffsets[layer];
            int to = from + stack.cells[layer].parameterCount();
            assertTrue(norm(analytic, from, to) > 1e-6, "layer " + layer + " receives gradient");
        }
        assertTrue(norm(analytic, stack.headWeightsOffset, analytic.length) > 1e-6, "head receives gradient");
    }

    private static double norm(double[] values, int from, int to) {
        double sum = 0;
        for (int k = from; k < to; k++) {
            sum += values[k] * values[k];
        }
        return Math.sqrt(sum);
    }

    /** Value-only windows (windowLength values each) as the objective's step inputs and next-value targets. */
    static double[][] valueWindows(double[] windows, int windowCount, int windowLength) {
        int steps = windowLength - 1;
        double[] inputs = new double[windowCount * steps];
        double[] targets = new double[windowCount * steps];
        for (int w = 0; w < windowCount; w++) {
            System.arraycopy(windows, w * windowLength, inputs, w * steps, steps);
            System.arraycopy(windows, w * windowLength + 1, targets, w * steps, steps);
        }
        return new double[][] {inputs, targets};
    }
}
