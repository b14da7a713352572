package io.seismo.nn;

import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.util.Objects;

/**
 * A {@link Network}'s inference step in single precision, laid out for the JIT's auto-vectoriser: the per-reading
 * path of the detector. Immutable and thread-safe; the recurrent state ({@code double[]}, the same layout and values
 * as {@link Network#step}) and the {@link Scratch} belong to the caller. The training path and
 * {@link Network#step}, the exact double-precision reference, are untouched.
 *
 * <p>How it differs from {@link Network#step}:
 * <ul>
 *   <li>Weights are {@code float}, stored column by column: for each input column k of a layer, one contiguous
 *       {@code float[]} holding that column's weight for every row of the layer's gate blocks, so the pre-activations
 *       are {@code z = b + Σ_k x_k · W[:, k]}, a loop over contiguous floats that C2 turns into SIMD. (The dot-product
 *       form over row-major weights is a floating-point reduction, which C2 on Java 17 leaves scalar.)</li>
 *   <li>tanh is the clamped 13/6 odd rational minimax approximation also used by Eigen, XLA and MLAS
 *       ({@link #tanh(float[], int, int)}) run over whole blocks of rows, and sigmoid(x) = 0.5 + 0.5 tanh(x / 2); the
 *       halving is folded into the sigmoid rows' weights and biases (and the peepholes) when the kernel is built
 *       (exact: a power of two), so one tanh pass activates all of a layer's gates.</li>
 *   <li>The state is read into floats at the start of a step and written back from them at its end, so after a step
 *       it holds float values; the head is applied in double to the top layer's float h.</li>
 * </ul>
 *
 * <p>The vectorised loops index all of their arrays with one plain counter: on Java 17, C2 vectorises
 * {@code z[r] += x * w[r]} well but {@code z[r] += x * w[offset + r]} badly (measured several times slower, slower even
 * than scalar code), which is why each weight column is an array of its own and why the scratch is several arrays.
 * All cell types run in single precision; none falls back to the double path.
 *
 * <p>Accuracy: the approximated tanh is within 5e-7 of {@link Math#tanh} and sigmoid within 3e-7 of the exact
 * logistic function everywhere (on a dense grid: 2.7e-7 and 1.7e-7 with fused multiply-adds, 3.4e-7 for tanh
 * without); float weights and sums carry a relative error of order 1e-7 per operation. Against {@link Network#step}
 * on random weights, inputs and states over 200 fed-back steps, the default shape (LSTM, 5 inputs, 32 hidden) agrees
 * to 3e-7 in state and output, every shape tested to 2e-6 in output, and states to 1.2e-5 at worst (a peephole
 * LSTM's cell state, relative where it exceeds 1); {@code InferenceKernelTest} asserts 1e-4, the margin being for
 * rounding that a recurrent network carries from step to step.
 */
public final class InferenceKernel {

    /** tanh(x) rounds to ±1 in float beyond this; the rational approximation is valid up to it. */
    private static final float TANH_CLAMP = 7.90531110763549805f;
    private static final float ALPHA_1 = 4.89352455891786e-03f;
    private static final float ALPHA_3 = 6.37261928875436e-04f;
    private static final float ALPHA_5 = 1.48572235717979e-05f;
    private static final float ALPHA_7 = 5.12229709037114e-08f;
    private static final float ALPHA_9 = -8.60467152213735e-11f;
    private static final float ALPHA_11 = 2.00018790482477e-13f;
    private static final float ALPHA_13 = -2.76076847742355e-16f;
    private static final float BETA_0 = 4.89352518554385e-03f;
    private static final float BETA_2 = 2.26843463243900e-03f;
    private static final float BETA_4 = 1.18534705686654e-04f;
    private static final float BETA_6 = 1.19825839466702e-06f;

    /**
     * Whether {@link Math#fma} compiles to the instruction (HotSpot's UseFMA, on by default where the CPU has it);
     * false if the JVM cannot say, and then the kernel multiplies and adds.
     */
    static final boolean FUSED_MULTIPLY_ADD = fusedMultiplyAddIsIntrinsic();

    private final NetworkShape shape;
    private final Layer[] layers;
    private final double[] headWeights;
    private final double headBias;
    private final int layerStateSize;
    private final int stateSize;

    private InferenceKernel(Network network) {
        this.shape = network.shape();
        double[] params = network.parameters();
        LayerStack stack = new LayerStack(shape);
        int hidden = shape.hiddenSize();
        layers = new Layer[shape.layers()];
        for (int layer = 0; layer < layers.length; layer++) {
            layers[layer] = new Layer(shape.cell(), shape.layerInputSize(layer), hidden, params,
                    stack.parameterOffsets[layer]);
        }
        headWeights = new double[hidden];
        System.arraycopy(params, stack.headWeightsOffset, headWeights, 0, hidden);
        headBias = params[stack.headBiasOffset];
        stateSize = stack.stateSize;
        layerStateSize = stack.stateSize / layers.length;
    }

    /** The kernel of a network's current parameters (the network is immutable, so the two never drift apart). */
    public static InferenceKernel of(Network network) {
        Objects.requireNonNull(network, "network must not be null");
        return new InferenceKernel(network);
    }

    public NetworkShape shape() {
        return shape;
    }

    /** Doubles of recurrent state per series, as {@link Network#stateSize()}. */
    public int stateSize() {
        return stateSize;
    }

    /** Scratch for {@link #step}; one per calling thread, reusable across kernels of the same shape. */
    public Scratch newScratch() {
        return new Scratch(shape);
    }

    /**
     * Advances the recurrent state one step with {@code input} and returns the head's output, as
     * {@link Network#step(double[], double[], double[])} does to within float precision. Allocation-free.
     *
     * @param state modified in place; length {@link #stateSize()}; holds float-representable values afterwards
     * @param input read only; length {@code inputSize}
     * @param scratch overwritten; from {@link #newScratch()} of a kernel of this shape
     * @throws IllegalArgumentException if an array has the wrong length or the scratch another shape
     */
    public double step(double[] state, double[] input, Scratch scratch) {
        checkState(state);
        checkScratch(scratch);
        if (input == null || input.length != shape.inputSize()) {
            throw new IllegalArgumentException("input has length " + (input == null ? "null" : input.length)
                    + " but the network takes inputSize " + shape.inputSize());
        }
        float[] x = scratch.concat;
        for (int k = 0; k < input.length; k++) {
            x[k] = (float) input[k];
        }
        return forward(state, scratch);
    }

    /**
     * Single-input form of {@link #step(double[], double[], Scratch)}; also allocation-free.
     *
     * @throws IllegalArgumentException if the network's inputSize is not 1 or an argument has the wrong shape
     */
    public double step(double[] state, double input, Scratch scratch) {
        if (shape.inputSize() != 1) {
            throw new IllegalArgumentException(
                    "scalar step needs inputSize 1 but the network takes inputSize " + shape.inputSize());
        }
        checkState(state);
        checkScratch(scratch);
        scratch.concat[0] = (float) input;
        return forward(state, scratch);
    }

    /** Runs the layers on the input already in {@code s.concat} and applies the head to the top layer's h. */
    private double forward(double[] state, Scratch s) {
        int hidden = shape.hiddenSize();
        for (int layer = 0; layer < layers.length; layer++) {
            if (layer > 0) {
                System.arraycopy(s.h, 0, s.concat, 0, hidden);
            }
            Layer l = layers[layer];
            int stateOffset = layer * layerStateSize;
            switch (shape.cell()) {
                case LSTM -> lstm(l, state, stateOffset, s, false);
                case LSTM_PEEPHOLE -> peepholeLstm(l, state, stateOffset, s);
                case LSTM_COUPLED -> lstm(l, state, stateOffset, s, true);
                case GRU -> gru(l, state, stateOffset, s);
                case RNN -> rnn(l, state, stateOffset, s);
            }
        }
        return head(s.h, hidden);
    }

    /** Head in double over the top layer's float h; four partial sums so the additions overlap. */
    private double head(float[] h, int hidden) {
        double[] w = headWeights;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < hidden; j += 4) {
            s0 += w[j] * h[j];
            s1 += w[j + 1] * h[j + 1];
            s2 += w[j + 2] * h[j + 2];
            s3 += w[j + 3] * h[j + 3];
        }
        for (; j < hidden; j++) {
            s0 += w[j] * h[j];
        }
        return headBias + ((s0 + s1) + (s2 + s3));
    }

    // --- Cells. Each reads its layer input from s.concat[0, I), loads h_prev into s.concat[I, I + H), computes its
    // --- pre-activations with the vectorised affine map and every activation with the vectorised tanh over whole
    // --- blocks; the element-wise steps between them are short loops (their double state loads and stores, which C2
    // --- does not vectorise on Java 17, keep them scalar). Each writes the new state back and leaves the new h in s.h.

    /**
     * The LSTM, and with {@code coupled} the coupled LSTM, which is the LSTM with its input gate tied to the forget
     * gate: from the forget gate's tanh t, f = 0.5 + 0.5 t and i = 1 - f = 0.5 - 0.5 t. Either way the last three
     * blocks are f, g and o.
     */
    private static void lstm(Layer l, double[] state, int stateOffset, Scratch s, boolean coupled) {
        final int hidden = l.hidden;
        float[] z = s.z;
        preActivations(l, state, stateOffset, s, z);
        tanh(z, 0, l.rows);
        final int forgetGate = coupled ? 0 : hidden;
        final int candidate = forgetGate + hidden;
        final int cellOffset = stateOffset + hidden;
        float[] cell = s.cell;
        for (int j = 0; j < hidden; j++) {
            float forgetTanh = z[forgetGate + j];
            float forget = 0.5f + 0.5f * forgetTanh;
            float in = coupled ? 0.5f - 0.5f * forgetTanh : 0.5f + 0.5f * z[j];
            float c = forget * (float) state[cellOffset + j] + in * z[candidate + j];
            cell[j] = c;
            state[cellOffset + j] = c;
        }
        output(z, candidate + hidden, cell, s.h, state, stateOffset, hidden);
    }

    /**
     * h = o ⊙ tanh(c) for the memory cells: c, in {@code cell}, goes through tanh in place; the output gate's halved
     * pre-activations, already through tanh, are at {@code z[gate..]}.
     */
    private static void output(float[] z, int gate, float[] cell, float[] h, double[] state, int stateOffset, int hidden) {
        tanh(cell, 0, hidden);
        for (int j = 0; j < hidden; j++) {
            float hj = (0.5f + 0.5f * z[gate + j]) * cell[j];
            h[j] = hj;
            state[stateOffset + j] = hj;
        }
    }

    private static void peepholeLstm(Layer l, double[] state, int stateOffset, Scratch s) {
        final int hidden = l.hidden;
        float[] z = s.z;
        preActivations(l, state, stateOffset, s, z);
        final int cellOffset = stateOffset + hidden;
        float[] peepholes = l.peepholes;
        // The input and forget gates see c_prev: add their (halved) peephole terms, then activate i, f and g at once.
        for (int j = 0; j < hidden; j++) {
            float cellPrev = (float) state[cellOffset + j];
            z[j] += peepholes[j] * cellPrev;
            z[hidden + j] += peepholes[hidden + j] * cellPrev;
        }
        tanh(z, 0, 3 * hidden);
        // The output gate sees the new c.
        float[] cell = s.cell;
        for (int j = 0; j < hidden; j++) {
            float in = 0.5f + 0.5f * z[j];
            float forget = 0.5f + 0.5f * z[hidden + j];
            float c = forget * (float) state[cellOffset + j] + in * z[2 * hidden + j];
            cell[j] = c;
            state[cellOffset + j] = c;
            z[3 * hidden + j] += peepholes[2 * hidden + j] * c;
        }
        tanh(z, 3 * hidden, 4 * hidden);
        output(z, 3 * hidden, cell, s.h, state, stateOffset, hidden);
    }

    private static void gru(Layer l, double[] state, int stateOffset, Scratch s) {
        final int hidden = l.hidden;
        final int input = l.input;
        float[] concat = s.concat;
        // Update and reset rows (sigmoid, halved) read [x; h_prev].
        float[] z = s.z;
        preActivations(l, state, stateOffset, s, z);
        tanh(z, 0, l.rows);
        float[] resetHidden = s.cell;
        for (int j = 0; j < hidden; j++) {
            resetHidden[j] = (0.5f + 0.5f * z[hidden + j]) * concat[input + j];
        }
        // Candidate rows read [x; r * h_prev]: the first I columns from concat, the last H from resetHidden.
        float[] candidate = s.candidate;
        affine(l.candidateColumns, l.candidateBias, concat, input, candidate, hidden);
        accumulate(l.candidateColumns, input, resetHidden, hidden, candidate, hidden);
        tanh(candidate, 0, hidden);
        float[] h = s.h;
        for (int j = 0; j < hidden; j++) {
            float n = candidate[j];
            float hj = n + (0.5f + 0.5f * z[j]) * (concat[input + j] - n);
            h[j] = hj;
            state[stateOffset + j] = hj;
        }
    }

    private static void rnn(Layer l, double[] state, int stateOffset, Scratch s) {
        final int hidden = l.hidden;
        float[] h = s.h;
        preActivations(l, state, stateOffset, s, h);
        tanh(h, 0, hidden);
        for (int j = 0; j < hidden; j++) {
            state[stateOffset + j] = h[j];
        }
    }

    /**
     * Loads h_prev into {@code s.concat[I, I + H)} and writes the pre-activations of the layer's rows that read
     * {@code [x; h_prev]} (its {@code columns}) into {@code z[0, rows)}.
     */
    private static void preActivations(Layer l, double[] state, int stateOffset, Scratch s, float[] z) {
        loadHidden(state, stateOffset, s.concat, l.input, l.hidden);
        affine(l.columns, l.bias, s.concat, l.concat, z, l.rows);
    }

    // --- Loops. Plain counted loops over whole arrays from index 0, no calls inside: what C2 vectorises.

    /**
     * {@code z[0, rows) = bias + Σ_k x[k] · columns[k]} over the first {@code count} columns. With fused multiply-adds
     * the first column's pass starts from the bias (no copy) and leaves 36 columns, six passes of six, for the
     * detector's default 37 (5 inputs and 32 hidden); each pass over z costs a scalar pre- and post-loop besides its
     * vector body, so the fewer the better.
     *
     * @param z overwritten
     */
    static void affine(float[][] columns, float[] bias, float[] x, int count, float[] z, int rows) {
        if (FUSED_MULTIPLY_ADD) {
            float x0 = x[0];
            float[] w0 = columns[0];
            for (int r = 0; r < rows; r++) {
                z[r] = Math.fma(x0, w0[r], bias[r]);
            }
            accumulateFused(columns, 1, x, 1, count - 1, z, rows);
        } else {
            System.arraycopy(bias, 0, z, 0, rows);
            accumulateUnfused(columns, 0, x, count, z, rows);
        }
    }

    /**
     * {@code z[0, rows) += Σ_{k < count} x[k] · columns[first + k]}, several columns per pass over z so that z is
     * loaded and stored less often: six as a chain of fused multiply-adds, four as multiplies and adds otherwise
     * (more and C2 no longer vectorises the loop).
     *
     * @param z modified
     */
    static void accumulate(float[][] columns, int first, float[] x, int count, float[] z, int rows) {
        if (FUSED_MULTIPLY_ADD) {
            accumulateFused(columns, first, x, count, z, rows);
        } else {
            accumulateUnfused(columns, first, x, count, z, rows);
        }
    }

    static void accumulateFused(float[][] columns, int first, float[] x, int count, float[] z, int rows) {
        accumulateFused(columns, first, x, 0, count, z, rows);
    }

    static void accumulateFused(float[][] columns, int first, float[] x, int xFirst, int count, float[] z, int rows) {
        int k = 0;
        for (; k + 5 < count; k += 6) {
            float x0 = x[xFirst + k];
            float x1 = x[xFirst + k + 1];
            float x2 = x[xFirst + k + 2];
            float x3 = x[xFirst + k + 3];
            float x4 = x[xFirst + k + 4];
            float x5 = x[xFirst + k + 5];
            float[] w0 = columns[first + k];
            float[] w1 = columns[first + k + 1];
            float[] w2 = columns[first + k + 2];
            float[] w3 = columns[first + k + 3];
            float[] w4 = columns[first + k + 4];
            float[] w5 = columns[first + k + 5];
            for (int r = 0; r < rows; r++) {
                float sum = Math.fma(x0, w0[r], z[r]);
                sum = Math.fma(x1, w1[r], sum);
                sum = Math.fma(x2, w2[r], sum);
                sum = Math.fma(x3, w3[r], sum);
                sum = Math.fma(x4, w4[r], sum);
                z[r] = Math.fma(x5, w5[r], sum);
            }
        }
        // The 0 to 5 columns left: one pass of three, of two or both, then one of one, rather than up to five.
        if (count - k >= 3) {
            float x0 = x[xFirst + k];
            float x1 = x[xFirst + k + 1];
            float x2 = x[xFirst + k + 2];
            float[] w0 = columns[first + k];
            float[] w1 = columns[first + k + 1];
            float[] w2 = columns[first + k + 2];
            for (int r = 0; r < rows; r++) {
                z[r] = Math.fma(x2, w2[r], Math.fma(x1, w1[r], Math.fma(x0, w0[r], z[r])));
            }
            k += 3;
        }
        if (count - k >= 2) {
            float x0 = x[xFirst + k];
            float x1 = x[xFirst + k + 1];
            float[] w0 = columns[first + k];
            float[] w1 = columns[first + k + 1];
            for (int r = 0; r < rows; r++) {
                z[r] = Math.fma(x1, w1[r], Math.fma(x0, w0[r], z[r]));
            }
            k += 2;
        }
        if (k < count) {
            float xk = x[xFirst + k];
            float[] w = columns[first + k];
            for (int r = 0; r < rows; r++) {
                z[r] = Math.fma(xk, w[r], z[r]);
            }
        }
    }

    static void accumulateUnfused(float[][] columns, int first, float[] x, int count, float[] z, int rows) {
        int k = 0;
        for (; k + 3 < count; k += 4) {
            float x0 = x[k];
            float x1 = x[k + 1];
            float x2 = x[k + 2];
            float x3 = x[k + 3];
            float[] w0 = columns[first + k];
            float[] w1 = columns[first + k + 1];
            float[] w2 = columns[first + k + 2];
            float[] w3 = columns[first + k + 3];
            for (int r = 0; r < rows; r++) {
                z[r] += (x0 * w0[r] + x1 * w1[r]) + (x2 * w2[r] + x3 * w3[r]);
            }
        }
        for (; k < count; k++) {
            float xk = x[k];
            float[] w = columns[first + k];
            for (int r = 0; r < rows; r++) {
                z[r] += xk * w[r];
            }
        }
    }

    /**
     * {@code a[j] = tanh(a[j])} for j in [from, to), approximated: the odd rational minimax p(x)/q(x) of degrees 13/6
     * on x clamped to ±7.905 (beyond which tanh rounds to ±1 in float). Absolute error below 5e-7 everywhere;
     * relative error about 1e-7 for tiny x, where p/q tends to x · alpha1/beta0. NaN stays NaN. Horner steps are fused
     * multiply-adds where the JVM compiles {@link Math#fma} to the instruction, plain multiplies and adds elsewhere
     * (its software fallback is slow). Written out in full, twice, so that the loops hold no call for C2 to inline.
     */
    static void tanh(float[] a, int from, int to) {
        if (FUSED_MULTIPLY_ADD) {
            tanhFused(a, from, to);
        } else {
            tanhUnfused(a, from, to);
        }
    }

    static void tanhFused(float[] a, int from, int to) {
        for (int j = from; j < to; j++) {
            float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, a[j]));
            float x2 = x * x;
            float p = Math.fma(ALPHA_13, x2, ALPHA_11);
            p = Math.fma(p, x2, ALPHA_9);
            p = Math.fma(p, x2, ALPHA_7);
            p = Math.fma(p, x2, ALPHA_5);
            p = Math.fma(p, x2, ALPHA_3);
            p = Math.fma(p, x2, ALPHA_1);
            float q = Math.fma(BETA_6, x2, BETA_4);
            q = Math.fma(q, x2, BETA_2);
            q = Math.fma(q, x2, BETA_0);
            a[j] = x * p / q;
        }
    }

    static void tanhUnfused(float[] a, int from, int to) {
        for (int j = from; j < to; j++) {
            float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, a[j]));
            float x2 = x * x;
            float p = ALPHA_13 * x2 + ALPHA_11;
            p = p * x2 + ALPHA_9;
            p = p * x2 + ALPHA_7;
            p = p * x2 + ALPHA_5;
            p = p * x2 + ALPHA_3;
            p = p * x2 + ALPHA_1;
            float q = BETA_6 * x2 + BETA_4;
            q = q * x2 + BETA_2;
            q = q * x2 + BETA_0;
            a[j] = x * p / q;
        }
    }

    /**
     * {@code a[j] = sigmoid(a[j]) = 0.5 + 0.5 tanh(a[j] / 2)} for j in [from, to) with
     * {@link #tanh(float[], int, int)}: what a sigmoid row computes, its halving folded into its weights. Absolute
     * error below 3e-7.
     */
    static void sigmoid(float[] a, int from, int to) {
        for (int j = from; j < to; j++) {
            a[j] *= 0.5f;
        }
        tanh(a, from, to);
        for (int j = from; j < to; j++) {
            a[j] = 0.5f + 0.5f * a[j];
        }
    }

    /** {@code concat[input, input + hidden) = (float) h_prev}. */
    private static void loadHidden(double[] state, int stateOffset, float[] concat, int input, int hidden) {
        for (int j = 0; j < hidden; j++) {
            concat[input + j] = (float) state[stateOffset + j];
        }
    }

    /**
     * Reads HotSpot's UseFMA through {@code com.sun.management.HotSpotDiagnosticMXBean}, reflectively so that this
     * package keeps to {@code java.*} at compile time; any other JVM, or any failure, reads as false.
     */
    private static boolean fusedMultiplyAddIsIntrinsic() {
        try {
            Class<? extends PlatformManagedObject> type = Class.forName("com.sun.management.HotSpotDiagnosticMXBean")
                    .asSubclass(PlatformManagedObject.class);
            Object bean = ManagementFactory.getPlatformMXBean(type);
            Object option = type.getMethod("getVMOption", String.class).invoke(bean, "UseFMA");
            Object value = option.getClass().getMethod("getValue").invoke(option);
            return Boolean.parseBoolean(String.valueOf(value));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notHotSpot) {
            return false;
        }
    }

    private void checkState(double[] state) {
        if (state == null || state.length != stateSize) {
            throw new IllegalArgumentException("state has length " + (state == null ? "null" : state.length)
                    + " but " + shape + " needs stateSize " + stateSize);
        }
    }

    private void checkScratch(Scratch scratch) {
        Objects.requireNonNull(scratch, "scratch must not be null");
        if (!scratch.fits(shape)) {
            throw new IllegalArgumentException("scratch was made for " + scratch.shape + ", not " + shape);
        }
    }

    @Override
    public String toString() {
        return "InferenceKernel[" + shape + "]";
    }

    /**
     * One layer's weights in column form. For every cell, {@code columns[k]} holds column k of the blocks that read
     * {@code [x; h_prev]} (all rows, block after block, sigmoid blocks halved) and {@code bias} their biases; the
     * GRU's candidate block, which reads {@code [x; r * h_prev]}, has its own columns and bias; the peephole LSTM's
     * peepholes are halved like the gates they feed.
     */
    private static final class Layer {
        final int input;
        final int hidden;
        final int concat;
        final int rows;
        final float[][] columns;
        final float[] bias;
        final float[][] candidateColumns;
        final float[] candidateBias;
        /** p_i, p_f, p_o, H each, halved. */
        final float[] peepholes;

        Layer(CellType cell, int input, int hidden, double[] params, int offset) {
            this.input = input;
            this.hidden = hidden;
            this.concat = input + hidden;
            int blocks = switch (cell) {
                case LSTM, LSTM_PEEPHOLE -> 4;
                case LSTM_COUPLED, GRU -> 3;
                case RNN -> 1;
            };
            // Which blocks are sigmoids (halved): LSTM i, f, o; coupled f, o; GRU z, r; RNN none.
            boolean[] sigmoid = switch (cell) {
                case LSTM, LSTM_PEEPHOLE -> new boolean[] {true, true, false, true};
                case LSTM_COUPLED -> new boolean[] {true, false, true};
                case GRU -> new boolean[] {true, true, false};
                case RNN -> new boolean[] {false};
            };
            int weightBlocks = cell == CellType.GRU ? 2 : blocks;
            int biasOffset = offset + blocks * hidden * concat;
            this.rows = weightBlocks * hidden;
            this.columns = columns(params, offset, biasOffset, 0, weightBlocks, sigmoid);
            this.bias = bias(params, biasOffset, 0, weightBlocks, sigmoid);
            if (cell == CellType.GRU) {
                candidateColumns = columns(params, offset, biasOffset, 2, 3, sigmoid);
                candidateBias = bias(params, biasOffset, 2, 3, sigmoid);
            } else {
                candidateColumns = null;
                candidateBias = null;
            }
            if (cell == CellType.LSTM_PEEPHOLE) {
                peepholes = halved(params, biasOffset + blocks * hidden, 3 * hidden);
            } else {
                peepholes = null;
            }
        }

        /** Columns of the rows of blocks [from, to), from row-major W (row r's columns at offset + r * concat). */
        private float[][] columns(double[] params, int offset, int biasOffset, int from, int to, boolean[] sigmoid) {
            int n = (to - from) * hidden;
            float[][] result = new float[concat][n];
            for (int r = 0; r < n; r++) {
                int row = from * hidden + r;
                double scale = sigmoid[row / hidden] ? 0.5 : 1.0;
                for (int k = 0; k < concat; k++) {
                    result[k][r] = (float) (scale * params[offset + row * concat + k]);
                }
            }
            return result;
        }

        private float[] bias(double[] params, int biasOffset, int from, int to, boolean[] sigmoid) {
            int n = (to - from) * hidden;
            float[] result = new float[n];
            for (int r = 0; r < n; r++) {
                int row = from * hidden + r;
                double scale = sigmoid[row / hidden] ? 0.5 : 1.0;
                result[r] = (float) (scale * params[biasOffset + row]);
            }
            return result;
        }

        private static float[] halved(double[] params, int offset, int n) {
            float[] result = new float[n];
            for (int j = 0; j < n; j++) {
                result[j] = (float) (0.5 * params[offset + j]);
            }
            return result;
        }
    }

    /**
     * The buffers one step overwrites, separate arrays so that the vectorised loops index each from zero (see the
     * class comment). Not thread-safe: one per calling thread. Made by {@link #newScratch()}; fits any kernel of the
     * same shape.
     */
    public static final class Scratch {
        private final NetworkShape shape;
        /** The layer input then h_prev: [x; h_prev]. */
        final float[] concat;
        /** Pre-activations, then activations, of the blocks that read [x; h_prev]. */
        final float[] z;
        /** The memory cells' c, then tanh(c); the GRU's r * h_prev. */
        final float[] cell;
        /** The GRU's candidate pre-activations. */
        final float[] candidate;
        /** The layer's new h. */
        final float[] h;

        private Scratch(NetworkShape shape) {
            this.shape = shape;
            int hidden = shape.hiddenSize();
            concat = new float[Math.max(shape.inputSize(), hidden) + hidden];
            z = new float[4 * hidden];
            cell = new float[hidden];
            candidate = new float[hidden];
            h = new float[hidden];
        }

        private boolean fits(NetworkShape other) {
            return other.hiddenSize() == shape.hiddenSize() && other.inputSize() <= concat.length - h.length;
        }
    }
}
