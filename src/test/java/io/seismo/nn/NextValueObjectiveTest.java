package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NextValueObjectiveTest {

    private static final double EPSILON = 1e-6;
    private static final double MAX_RELATIVE_ERROR = 1e-5;
    private static final double ABSOLUTE_FLOOR = 1e-9;

    /** A random small problem: shape, parameters, two windows and (with dropout) fixed masks. */
    private record Problem(NetworkShape shape, double[] params, double[] inputs, double[] targets, int windowCount,
                           int steps, double[] masks) {

        static Problem random(int inputSize, int layers, double dropout, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int hidden = 3 + random.nextInt(3);
            int steps = 4 + random.nextInt(3);
            NetworkShape shape = new NetworkShape(CellType.LSTM, inputSize, hidden, layers);
            double[] params = new double[shape.parameterCount()];
            for (int k = 0; k < params.length; k++) {
                params[k] = random.nextDouble(-0.8, 0.8);
            }
            int windowCount = 2;
            double[] inputs = new double[windowCount * steps * inputSize];
            for (int k = 0; k < inputs.length; k++) {
                inputs[k] = random.nextDouble(-1.5, 1.5);
            }
            double[] targets = new double[windowCount * steps];
            for (int k = 0; k < targets.length; k++) {
                targets[k] = random.nextDouble(-1.5, 1.5);
            }
            double[] masks = null;
            if (dropout > 0) {
                masks = new double[NextValueObjective.maskSize(shape, windowCount, steps)];
                NextValueObjective.drawMasks(dropout, random, masks, masks.length);
            }
            return new Problem(shape, params, inputs, targets, windowCount, steps, masks);
        }

        static Problem random(int layers, long seed) {
            return random(1, layers, 0.0, seed);
        }

        Workspace workspace() {
            return new Workspace(shape, steps);
        }

        double loss(double[] at) {
            return NextValueObjective.loss(shape, at, inputs, targets, windowCount, steps, masks, workspace());
        }

        double[] analyticGradient() {
            double[] gradient = new double[params.length];
            NextValueObjective.lossAndGradient(shape, params, inputs, targets, windowCount, steps, masks, gradient,
                    workspace());
            return gradient;
        }

        /** Indices whose analytic derivative disagrees with central differences. */
        List<Integer> mismatches(double[] analytic) {
            Workspace workspace = workspace();
            double[] probe = params.clone();
            List<Integer> mismatched = new ArrayList<>();
            for (int k = 0; k < probe.length; k++) {
                probe[k] = params[k] + EPSILON;
                double above = NextValueObjective.loss(shape, probe, inputs, targets, windowCount, steps, masks,
                        workspace);
                probe[k] = params[k] - EPSILON;
                double below = NextValueObjective.loss(shape, probe, inputs, targets, windowCount, steps, masks,
                        workspace);
                probe[k] = params[k];
                double numeric = (above - below) / (2 * EPSILON);
                double difference = Math.abs(analytic[k] - numeric);
                double scale = Math.max(Math.max(Math.abs(analytic[k]), Math.abs(numeric)), 1e-8);
                if (difference / scale >= MAX_RELATIVE_ERROR && difference >= ABSOLUTE_FLOOR) {
                    mismatched.add(k);
                }
            }
            return mismatched;
        }
    }

    @ParameterizedTest(name = "inputSize {0}, {1} layer(s), dropout {2}")
    @CsvSource({
        "1, 1, 0.0", "1, 2, 0.0", "1, 3, 0.0",
        "5, 1, 0.0", "5, 2, 0.0", "5, 3, 0.0",
        "1, 1, 0.3", "1, 2, 0.3", "1, 3, 0.3",
        "5, 1, 0.3", "5, 2, 0.3", "5, 3, 0.3"})
    void shouldMatchCentralDifferencesForEveryParameter(int inputSize, int layers, double dropout) {
        for (long seed = 1; seed <= 3; seed++) {
            Problem problem = Problem.random(inputSize, layers, dropout, seed * 31 + layers + 7L * inputSize);
            double[] analytic = problem.analyticGradient();
            assertEquals(List.of(), problem.mismatches(analytic),
                    "parameters whose gradient disagrees, " + problem.shape() + ", dropout " + dropout + ", seed "
                            + seed);
        }
    }

    @Test
    void gradientCheckShouldFlagASingleWrongComponent() {
        Problem problem = Problem.random(2, 7);
        double[] analytic = problem.analyticGradient();
        int corrupted = analytic.length / 3;
        analytic[corrupted] += 1e-3 * Math.max(1.0, Math.abs(analytic[corrupted]));
        assertEquals(List.of(corrupted), problem.mismatches(analytic));
    }

    @Test
    void gradientShouldBeNonZeroForEveryLayerAndTheHead() {
        Problem problem = Problem.random(3, 11);
        double[] analytic = problem.analyticGradient();
        LayerStack stack = new LayerStack(problem.shape());
        for (int layer = 0; layer < 3; layer++) {
            int from = stack.parameterOffsets[layer];
            int to = from + stack.cells[layer].parameterCount();
            assertTrue(normOf(analytic, from, to) > 1e-6, "layer " + layer + " receives gradient");
        }
        assertTrue(normOf(analytic, stack.headWeightsOffset, analytic.length) > 1e-6, "head receives gradient");
    }

    @Test
    void lossShouldEqualTheMeanSquaredErrorOfSteppingTheNetwork() {
        for (int inputSize : new int[] {1, 5}) {
            Problem problem = Problem.random(inputSize, 2, 0.0, 5);
            Network network = Network.fromParameters(problem.shape(), problem.params());
            double sumSquares = 0;
            double[] input = new double[inputSize];
            for (int w = 0; w < problem.windowCount(); w++) {
                double[] state = network.newState();
                double[] scratch = network.newScratch();
                for (int t = 0; t < problem.steps(); t++) {
                    int step = w * problem.steps() + t;
                    System.arraycopy(problem.inputs(), step * inputSize, input, 0, inputSize);
                    double error = network.step(state, input, scratch) - problem.targets()[step];
                    sumSquares += error * error;
                }
            }
            double expected = sumSquares / (problem.windowCount() * problem.steps());
            assertEquals(expected, problem.loss(problem.params()), 1e-14, "inputSize " + inputSize);
        }
    }

    @Test
    void masksOfOnesShouldGiveExactlyTheLossAndGradientOfNoDropout() {
        Problem plain = Problem.random(5, 3, 0.0, 13);
        double[] ones = new double[NextValueObjective.maskSize(plain.shape(), plain.windowCount(), plain.steps())];
        Arrays.fill(ones, 1.0);
        Problem masked = new Problem(plain.shape(), plain.params(), plain.inputs(), plain.targets(),
                plain.windowCount(), plain.steps(), ones);
        assertEquals(plain.loss(plain.params()), masked.loss(plain.params()), 0.0);
        assertArrayEquals(plain.analyticGradient(), masked.analyticGradient(), 0.0);
    }

    @Test
    void droppingEveryTopUnitShouldLeaveOnlyTheHeadBiasToPredict() {
        Problem problem = Problem.random(1, 2, 0.3, 17);
        NetworkShape shape = problem.shape();
        int hidden = shape.hiddenSize();
        double[] masks = problem.masks().clone();
        for (int step = 0; step < problem.windowCount() * problem.steps(); step++) {
            Arrays.fill(masks, (step * 2 + 1) * hidden, (step * 2 + 2) * hidden, 0.0);
        }
        Problem topDropped = new Problem(shape, problem.params(), problem.inputs(), problem.targets(),
                problem.windowCount(), problem.steps(), masks);
        LayerStack stack = new LayerStack(shape);
        double bias = problem.params()[stack.headBiasOffset];
        double expected = 0;
        for (double target : problem.targets()) {
            expected += (bias - target) * (bias - target);
        }
        assertEquals(expected / problem.targets().length, topDropped.loss(problem.params()), 1e-14);
        double[] gradient = topDropped.analyticGradient();
        assertEquals(0.0, normOf(gradient, 0, stack.headBiasOffset), 0.0,
                "no gradient reaches the layers or head weights through an all-zero top mask");
    }

    @Test
    void drawMasksShouldZeroAboutTheDropoutShareAndScaleTheRestUp() {
        double[] masks = new double[20_000];
        NextValueObjective.drawMasks(0.3, new SplittableRandom(1), masks, masks.length);
        long zeros = Arrays.stream(masks).filter(m -> m == 0.0).count();
        long kept = Arrays.stream(masks).filter(m -> m == 1.0 / 0.7).count();
        assertEquals(masks.length, zeros + kept);
        assertEquals(0.3, zeros / (double) masks.length, 0.02);
        double[] again = new double[masks.length];
        NextValueObjective.drawMasks(0.3, new SplittableRandom(1), again, again.length);
        assertArrayEquals(masks, again, 0.0);
    }

    @Test
    void shouldRejectBuffersTooShortForTheWindowCount() {
        Problem problem = Problem.random(5, 1, 0.3, 3);
        double[] gradient = new double[problem.params().length];
        IllegalArgumentException targets = assertThrows(IllegalArgumentException.class,
                () -> NextValueObjective.lossAndGradient(problem.shape(), problem.params(), problem.inputs(),
                        problem.targets(), problem.windowCount() + 1, problem.steps(), gradient,
                        problem.workspace()));
        assertTrue(targets.getMessage().contains("targets has"), targets.getMessage());
        IllegalArgumentException inputs = assertThrows(IllegalArgumentException.class,
                () -> NextValueObjective.lossAndGradient(problem.shape(), problem.params(),
                        Arrays.copyOf(problem.inputs(), problem.inputs().length - 1), problem.targets(),
                        problem.windowCount(), problem.steps(), gradient, problem.workspace()));
        assertTrue(inputs.getMessage().contains("inputs has"), inputs.getMessage());
        IllegalArgumentException masks = assertThrows(IllegalArgumentException.class,
                () -> NextValueObjective.lossAndGradient(problem.shape(), problem.params(), problem.inputs(),
                        problem.targets(), problem.windowCount(), problem.steps(),
                        Arrays.copyOf(problem.masks(), problem.masks().length - 1), gradient, problem.workspace()));
        assertTrue(masks.getMessage().contains("masks has"), masks.getMessage());
    }

    private static double normOf(double[] values, int from, int to) {
        double sum = 0;
        for (int k = from; k < to; k++) {
            sum += values[k] * values[k];
        }
        return Math.sqrt(sum);
    }
}
