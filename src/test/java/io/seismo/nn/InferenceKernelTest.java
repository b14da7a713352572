package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 {@link InferenceKernel} against the exact double {@link Network#step}.
 *
 * <p>Tolerances: the activations are asserted at their documented bounds (5e-7 for tanh, 3e-7 for sigmoid, absolute; measured
 * 2.7e-7 and 1.7e-7 with fused multiply-adds, 3.4e-7 for tanh without; float32 itself resolves 6e-8 near 1). A step's pre-activation sums K = I + H float products of order 1, so
 * it is off by roughly sqrt(K) · 6e-8 ≈ 1e-6 at most for the shapes here, and gated recurrences carry such an error
 * from step to step without amplifying it much. States and outputs of order 1 are asserted within
 * {@value #TOLERANCE} absolute (relative for memory cells beyond 1) over 200 fed-back steps; the largest errors
 * measured were 1.2e-5 on a peephole LSTM's cell state and 1.8e-6 on an output, most shapes staying near 1e-6. That leaves
 * a margin for rounding a recurrence carries from step to step, and is far below what a wrong weight, gate or
 * layout produces.
 */
class InferenceKernelTest {

    static final double TOLERANCE = 1e-4;
    private static final int STEPS = 200;

    @Test
    void tanhShouldStayWithinItsBoundOnADenseGridAndSaturate() {
        int n = 4_000_001;
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) (-20.0 + 40.0 * k / (n - 1));
        }
        float[] y = x.clone();
        InferenceKernel.tanh(y, 0, n);
        double maxError = 0;
        for (int k = 0; k < n; k++) {
            maxError = Math.max(maxError, Math.abs(y[k] - Math.tanh(x[k])));
            assertTrue(Math.abs(y[k]) <= 1.0f, "|tanh| must not exceed 1 at " + x[k]);
        }
        assertTrue(maxError < 5e-7, "max |tanh error| on [-20, 20] was " + maxError);

        float[] far = {10f, -10f, 100f, -1e30f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] saturated = far.clone();
        InferenceKernel.tanh(saturated, 0, far.length);
        for (int k = 0; k < far.length; k++) {
            assertEquals(Math.signum(far[k]), saturated[k], 4e-7, "tanh(" + far[k] + ")");
        }
        float[] nan = {Float.NaN};
        InferenceKernel.tanh(nan, 0, 1);
        assertTrue(Float.isNaN(nan[0]));
    }

    @Test
    void tanhShouldMeetItsBoundWithAndWithoutFusedMultiplyAdd() {
        // Whichever form this JVM runs, the other one must hold the same bound on machines without FMA.
        int n = 1_000_001;
        float[] fused = new float[n];
        for (int k = 0; k < n; k++) {
            fused[k] = (float) (-12.0 + 24.0 * k / (n - 1));
        }
        float[] unfused = fused.clone();
        float[] x = fused.clone();
        InferenceKernel.tanhFused(fused, 0, n);
        InferenceKernel.tanhUnfused(unfused, 0, n);
        double maxFused = 0;
        double maxUnfused = 0;
        for (int k = 0; k < n; k++) {
            double exact = Math.tanh(x[k]);
            maxFused = Math.max(maxFused, Math.abs(fused[k] - exact));
            maxUnfused = Math.max(maxUnfused, Math.abs(unfused[k] - exact));
        }
        assertTrue(maxFused < 5e-7, "fused: max |tanh error| " + maxFused);
        assertTrue(maxUnfused < 5e-7, "unfused: max |tanh error| " + maxUnfused);
    }

    @Test
    void columnSumsShouldMatchADoubleReferenceWithAndWithoutFusedMultiplyAdd() {
        SplittableRandom random = new SplittableRandom(17);
        for (int count = 1; count <= 20; count++) {
            for (int rows : new int[] {1, 5, 16, 37, 128}) {
                float[][] columns = new float[count + 2][rows];
                float[] x = new float[count + 1];
                float[] bias = new float[rows];
                for (int k = 0; k < count + 2; k++) {
                    for (int r = 0; r < rows; r++) {
                        columns[k][r] = (float) (2.0 * random.nextDouble() - 1.0);
                    }
                }
                for (int k = 0; k <= count; k++) {
                    x[k] = (float) (2.0 * random.nextDouble() - 1.0);
                }
                for (int r = 0; r < rows; r++) {
                    bias[r] = (float) (2.0 * random.nextDouble() - 1.0);
                }
                float[] affine = new float[rows];
                InferenceKernel.affine(columns, bias, x, count, affine, rows);
                // Columns from index 2, as the GRU's candidate reads its recurrent columns after its input ones.
                float[] fused = bias.clone();
                float[] unfused = bias.clone();
                InferenceKernel.accumulateFused(columns, 2, x, count, fused, rows);
                InferenceKernel.accumulateUnfused(columns, 2, x, count, unfused, rows);
                for (int r = 0; r < rows; r++) {
                    double exactAffine = bias[r];
                    double exactShifted = bias[r];
                    for (int k = 0; k < count; k++) {
                        exactAffine += (double) x[k] * columns[k][r];
                        exactShifted += (double) x[k] * columns[2 + k][r];
                    }
                    String where = "count " + count + ", row " + r;
                    assertEquals(exactAffine, affine[r], 1e-6 * (count + 1), "affine, " + where);
                    assertEquals(exactShifted, fused[r], 1e-6 * (count + 1), "fused, " + where);
                    assertEquals(exactShifted, unfused[r], 1e-6 * (count + 1), "unfused, " + where);
                }
            }
        }
    }

    @Test
    void tanhShouldKeepItsRelativeAccuracyForTinyArguments() {
        float[] x = new float[120];
        for (int k = 0; k < 60; k++) {
            x[2 * k] = (float) Math.pow(10, -k * 0.5);
            x[2 * k + 1] = -x[2 * k];
        }
        float[] y = x.clone();
        InferenceKernel.tanh(y, 0, y.length);
        double maxRelative = 0;
        for (int k = 0; k < x.length; k++) {
            if (x[k] != 0f && Math.abs(x[k]) < 1e-3) {
                double exact = Math.tanh(x[k]);
                maxRelative = Math.max(maxRelative, Math.abs(y[k] - exact) / Math.abs(exact));
            }
        }
        assertTrue(maxRelative < 1e-6, "max relative tanh error below 1e-3 was " + maxRelative);
        float[] zero = {0f, -0f};
        InferenceKernel.tanh(zero, 0, 2);
        assertEquals(0f, zero[0]);
        assertEquals(-0f, zero[1]);
    }

    @Test
    void sigmoidShouldStayWithinItsBoundOnADenseGridAndSaturate() {
        int n = 4_000_001;
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) (-40.0 + 80.0 * k / (n - 1));
        }
        float[] y = x.clone();
        InferenceKernel.sigmoid(y, 0, n);
        double maxError = 0;
        for (int k = 0; k < n; k++) {
            double exact = 1.0 / (1.0 + Math.exp(-x[k]));
            maxError = Math.max(maxError, Math.abs(y[k] - exact));
            assertTrue(y[k] >= 0f && y[k] <= 1f, "sigmoid must stay in [0, 1] at " + x[k]);
        }
        assertTrue(maxError < 3e-7, "max |sigmoid error| on [-40, 40] was " + maxError);
        float[] tiny = {1e-20f, -1e-20f, 0f};
        InferenceKernel.sigmoid(tiny, 0, 3);
        for (float v : tiny) {
            assertEquals(0.5f, v, 1e-7f);
        }
    }

    static Stream<Arguments> shapes() {
        Stream.Builder<Arguments> shapes = Stream.builder();
        for (CellType cell : CellType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (int hidden : new int[] {1, 7, 32, 48}) {
                    for (int inputs : new int[] {1, 5}) {
                        shapes.add(Arguments.of(new NetworkShape(cell, inputs, hidden, layers)));
                    }
                }
            }
        }
        return shapes.build();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void shouldTrackTheExactStepOverFedBackSequences(NetworkShape shape) {
        SplittableRandom random = new SplittableRandom(shape.hashCode());
        Network network = randomNetwork(shape, random);
        InferenceKernel kernel = InferenceKernel.of(network);
        double[] exactState = randomState(network, random);
        double[] kernelState = exactState.clone();
        double[] exactScratch = network.newScratch();
        InferenceKernel.Scratch scratch = kernel.newScratch();
        double[] input = new double[shape.inputSize()];

        double maxStateError = 0;
        double maxOutputError = 0;
        double output = 0;
        for (int t = 0; t < STEPS; t++) {
            // Every input a random reading but the first, which feeds the output back as a detector's would.
            input[0] = t % 2 == 0 ? output : 3.0 * (2.0 * random.nextDouble() - 1.0);
            for (int k = 1; k < input.length; k++) {
                input[k] = 2.0 * random.nextDouble() - 1.0;
            }
            double exact = network.step(exactState, input, exactScratch);
            double fast = kernel.step(kernelState, input, scratch);
            maxOutputError = Math.max(maxOutputError, Math.abs(exact - fast));
            for (int k = 0; k < exactState.length; k++) {
                // Memory cells may grow past 1: their error is taken relative to their size there.
                double scale = Math.max(1.0, Math.abs(exactState[k]));
                maxStateError = Math.max(maxStateError, Math.abs(exactState[k] - kernelState[k]) / scale);
            }
            output = Math.max(-3.0, Math.min(3.0, exact));
        }
        assertTrue(maxStateError < TOLERANCE, shape + ": max state error " + maxStateError);
        assertTrue(maxOutputError < TOLERANCE, shape + ": max output error " + maxOutputError);
    }

    @Test
    void shouldMatchTheHandWorkedLstmStep() {
        double[] params = {0.5, -0.3, 0.2, 0.4, -0.6, 0.1, 0.3, 0.7, 0.1, 1.0, -0.2, 0.05, 1.5, -0.25};
        Network network = Network.fromParameters(new NetworkShape(CellType.LSTM, 1, 1, 1), params);
        double[] exactState = {-0.4, 0.6};
        double[] kernelState = exactState.clone();
        double exact = network.step(exactState, 0.8, network.newScratch());
        InferenceKernel kernel = InferenceKernel.of(network);
        double fast = kernel.step(kernelState, 0.8, kernel.newScratch());
        assertEquals(exact, fast, 1e-6);
        assertArrayEquals(exactState, kernelState, 1e-6);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void scalarAndArrayStepsShouldAgreeExactly(CellType cell) {
        InferenceKernel kernel = InferenceKernel.of(Network.initialise(new NetworkShape(cell, 1, 9, 2), 4));
        double[] arrayState = new double[kernel.stateSize()];
        double[] scalarState = new double[kernel.stateSize()];
        InferenceKernel.Scratch scratch = kernel.newScratch();
        double[] input = new double[1];
        for (int t = 0; t < 30; t++) {
            input[0] = Math.sin(t * 0.4);
            assertEquals(kernel.step(arrayState, input, scratch), kernel.step(scalarState, input[0], scratch), 0.0);
        }
        assertArrayEquals(arrayState, scalarState, 0.0);
    }

    @Test
    void shouldRejectArgumentsOfTheWrongShape() {
        InferenceKernel kernel = InferenceKernel.of(Network.initialise(new NetworkShape(CellType.LSTM, 5, 8, 1), 1));
        InferenceKernel.Scratch scratch = kernel.newScratch();
        double[] state = new double[kernel.stateSize()];
        double[] input = new double[5];
        assertThrows(IllegalArgumentException.class, () -> kernel.step(new double[3], input, scratch));
        assertThrows(IllegalArgumentException.class, () -> kernel.step(state, new double[4], scratch));
        assertThrows(IllegalArgumentException.class, () -> kernel.step(state, 0.5, scratch));
        InferenceKernel other = InferenceKernel.of(Network.initialise(new NetworkShape(CellType.LSTM, 5, 9, 1), 1));
        assertThrows(IllegalArgumentException.class, () -> kernel.step(state, input, other.newScratch()));
        assertThrows(NullPointerException.class, () -> kernel.step(state, input, null));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void stepShouldAllocateNothing(CellType cell) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM must measure per-thread allocation, or the check below would pass vacuously");
        InferenceKernel kernel = InferenceKernel.of(Network.initialise(new NetworkShape(cell, 5, 32, 2), 5));
        double[] state = new double[kernel.stateSize()];
        InferenceKernel.Scratch scratch = kernel.newScratch();
        double[] input = new double[5];
        double sink = 0;
        for (int t = 0; t < 30_000; t++) {
            input[t % 5] = Math.tanh(sink);
            sink += kernel.step(state, input, scratch);
        }
        long threadId = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(threadId);
        for (int t = 0; t < 100_000; t++) {
            input[t % 5] = Math.tanh(sink);
            sink += kernel.step(state, input, scratch);
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(Double.isFinite(sink));
        // A few KB of slack for the measurement itself; one allocation per step would be over a megabyte.
        assertTrue(allocated < 10_000, cell + " allocated " + allocated + " bytes over 100,000 steps");
    }

    /**
     * Random Glorot-uniform weight matrices (a fresh seed each) with every other parameter (biases, peepholes, head)
     * random in [-1, 1]. The weight matrices keep their Glorot scale because much larger recurrent weights make a
     * chaotic network, one that amplifies any rounding step after step, the double reference's as much as the
     * kernel's; trained networks are not of that kind.
     */
    static Network randomNetwork(NetworkShape shape, SplittableRandom random) {
        double[] params = Network.initialise(shape, random.nextLong()).parameters();
        LayerStack stack = new LayerStack(shape);
        int next = 0;
        for (int layer = 0; layer < shape.layers(); layer++) {
            int weights = stack.parameterOffsets[layer];
            for (int k = next; k < weights; k++) {
                params[k] = 2.0 * random.nextDouble() - 1.0;
            }
            next = weights + ((GateBlockCell) stack.cells[layer]).biasOffset();
        }
        for (int k = next; k < params.length; k++) {
            params[k] = 2.0 * random.nextDouble() - 1.0;
        }
        return Network.fromParameters(shape, params);
    }

    /** h in (-1, 1), memory cells in (-2, 2): states a running series can be in. */
    static double[] randomState(Network network, SplittableRandom random) {
        double[] state = network.newState();
        for (int k = 0; k < state.length; k++) {
            state[k] = 2.0 * (2.0 * random.nextDouble() - 1.0);
        }
        int hidden = network.shape().hiddenSize();
        int perLayer = state.length / network.shape().layers();
        for (int layer = 0; layer < network.shape().layers(); layer++) {
            for (int j = 0; j < hidden; j++) {
                state[layer * perLayer + j] *= 0.5;
            }
        }
        return state;
    }
}
