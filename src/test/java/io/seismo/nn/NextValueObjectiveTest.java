package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NextValueObjectiveTest {

    private static final double EPSILON = 1e-6;
    private static final double MAX_RELATIVE_ERROR = 1e-5;
    private static final double ABSOLUTE_FLOOR = 1e-9;

    /** A random small problem: shape, parameters and two windows. */
    private record Problem(NetworkShape shape, double[] params, double[] windows, int windowCount, int windowLength) {

        static Problem random(int layers, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int hidden = 3 + random.nextInt(3);
            int windowLength = 5 + random.nextInt(3);
            NetworkShape shape = new NetworkShape(CellType.LSTM, 1, hidden, layers);
            double[] params = new double[shape.parameterCount()];
            for (int k = 0; k < params.length; k++) {
                params[k] = random.nextDouble(-0.8, 0.8);
            }
            int windowCount = 2;
            double[] windows = new double[windowCount * windowLength];
            for (int k = 0; k < windows.length; k++) {
                windows[k] = random.nextDouble(-1.5, 1.5);
            }
            return new Problem(shape, params, windows, windowCount, windowLength);
        }

        double[] analyticGradient() {
            double[] gradient = new double[params.length];
            NextValueObjective.lossAndGradient(shape, params, windows, windowCount, windowLength, gradient,
                    new Workspace(shape, windowLength));
            return gradient;
        }

        /** Indices whose analytic derivative disagrees with central differences. */
        List<Integer> mismatches(double[] analytic) {
            Workspace workspace = new Workspace(shape, windowLength);
            double[] probe = params.clone();
            List<Integer> mismatched = new ArrayList<>();
            for (int k = 0; k < probe.length; k++) {
                probe[k] = params[k] + EPSILON;
                double above = NextValueObjective.loss(shape, probe, windows, windowCount, windowLength, workspace);
                probe[k] = params[k] - EPSILON;
                double below = NextValueObjective.loss(shape, probe, windows, windowCount, windowLength, workspace);
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

    @ParameterizedTest(name = "{0} layer(s)")
    @ValueSource(ints = {1, 2, 3})
    void shouldMatchCentralDifferencesForEveryParameter(int layers) {
        for (long seed = 1; seed <= 3; seed++) {
            Problem problem = Problem.random(layers, seed * 31 + layers);
            double[] analytic = problem.analyticGradient();
            assertEquals(List.of(), problem.mismatches(analytic),
                    "parameters whose gradient disagrees, " + problem.shape() + ", seed " + seed);
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
        Problem problem = Problem.random(2, 5);
        Network network = Network.fromParameters(problem.shape(), problem.params());
        double sumSquares = 0;
        for (int w = 0; w < problem.windowCount(); w++) {
            double[] state = network.newState();
            double[] scratch = network.newScratch();
            for (int t = 0; t + 1 < problem.windowLength(); t++) {
                int at = w * problem.windowLength() + t;
                double error = network.step(state, problem.windows()[at], scratch) - problem.windows()[at + 1];
                sumSquares += error * error;
            }
        }
        double expected = sumSquares / (problem.windowCount() * (problem.windowLength() - 1));
        double actual = NextValueObjective.loss(problem.shape(), problem.params(), problem.windows(),
                problem.windowCount(), problem.windowLength(), new Workspace(problem.shape(), problem.windowLength()));
        assertEquals(expected, actual, 1e-14);
    }

    @Test
    void shouldRejectAWindowBufferTooShortForTheWindowCount() {
        Problem problem = Problem.random(1, 3);
        double[] gradient = new double[problem.params().length];
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> NextValueObjective.lossAndGradient(problem.shape(), problem.params(), problem.windows(),
                        problem.windowCount() + 1, problem.windowLength(), gradient,
                        new Workspace(problem.shape(), problem.windowLength())));
        assertTrue(error.getMessage().contains("windowsFlat"), error.getMessage());
    }

    private static double normOf(double[] values, int from, int to) {
        double sum = 0;
        for (int k = from; k < to; k++) {
            sum += values[k] * values[k];
        }
        return Math.sqrt(sum);
    }
}
