package io.seismo.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * LSTM layer with diagonal peephole connections (Gers and Schmidhuber 2000): the input and forget gates see the
 * previous cell state, the output gate sees the new one.
 *
 * <pre>
 *   z = W [x; h_prev] + b            (4H values)
 *   i = sigmoid(z_i + p_i * c_prev)  f = sigmoid(z_f + p_f * c_prev)  g = tanh(z_g)
 *   c = f * c_prev + i * g
 *   o = sigmoid(z_o + p_o * c)
 *   h = o * tanh(c)
 * </pre>
 *
 * <p>Parameter layout (I = inputSize, H = hiddenSize, K = I + H): {@code W}, 4H rows of K columns, row-major, rows
 * grouped by gate in order i, f, g, o (row {@code gate * H + j} belongs to unit j), each row's columns being the
 * K inputs {@code [x; h_prev]}; then the bias {@code b}, 4H values in the same row order; then the peephole
 * weights {@code p_i}, {@code p_f}, {@code p_o}, H values each (value j belongs to unit j). W and b are laid out
 * exactly as in {@link LstmCell}.
 *
 * <p>State layout: h (H values) then c (H values).
 *
 * <p>Cache layout per step: x (I), h_prev (H), c_prev (H) — so that {@code [x; h_prev]} is contiguous — then the
 * activated gates i, f, g, o (4H), then c (H), then tanh(c) (H).
 */
final class PeepholeLstmCell extends MemoryCell {

    static final int GATES = 4;
    static final int INPUT_GATE = 0;
    static final int FORGET_GATE = 1;
    static final int CANDIDATE_GATE = 2;
    static final int OUTPUT_GATE = 3;
    /** Peephole vectors: one each for the input, forget and output gates. */
    static final int PEEPHOLES = 3;

    PeepholeLstmCell(int inputSize, int hiddenSize) {
        super("peephole LSTM", inputSize, hiddenSize, GATES);
    }

    static long parameterCount(int inputSize, int hiddenSize) {
        long rows = (long) GATES * hiddenSize;
        return rows * ((long) inputSize + hiddenSize) + rows + (long) PEEPHOLES * hiddenSize;
    }

    @Override
    public int parameterCount() {
        return (int) parameterCount(inputSize, hiddenSize);
    }

    @Override
    public int cacheSize() {
        return inputSize + 2 * hiddenSize + GATES * hiddenSize + 2 * hiddenSize;
    }

    /** Offset of the peephole weights (p_i, p_f, p_o) within this layer's parameters. */
    int peepholeOffset() {
        return biasOffset() + GATES * hiddenSize;
    }

    /**
     * Glorot-uniform weights per gate block (fan-in K, fan-out H); forget-gate bias 1 so that early training
     * remembers by default, other biases 0; peepholes 0, so the layer starts as a plain LSTM and learns how much
     * to look at its cell (their gradient is not zero at zero).
     */
    @Override
    int forgetBlock() {
        return FORGET_GATE;
    }

    @Override
    public void initialise(double[] params, int offset, SplittableRandom random) {
        super.initialise(params, offset, random);
        int peepholes = offset + peepholeOffset();
        Arrays.fill(params, peepholes, peepholes + PEEPHOLES * hiddenSize, 0.0);
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] input, int inputOffset,
                        double[] state, int stateOffset, double[] cache, int cacheOffset) {
        final int hidden = hiddenSize;
        final int concat = concatSize;
        final int cellStateOffset = stateOffset + hidden;
        final int prevCellCache = cacheOffset + concat;
        final int gatesCache = prevCellCache + hidden;
        final int cellCache = gatesCache + GATES * hidden;
        final int tanhCache = cellCache + hidden;
        final int peepholes = paramOffset + peepholeOffset();

        loadStep(input, inputOffset, state, stateOffset, cache, cacheOffset);

        // Pre-activations first: the gates' peephole terms need c_prev (input, forget) or c (output) per unit.
        for (int r = 0; r < GATES * hidden; r++) {
            double sum = preActivation(params, paramOffset, r, cache, cacheOffset);
            cache[gatesCache + r] = sum;
        }

        for (int j = 0; j < hidden; j++) {
            double cellPrev = cache[prevCellCache + j];
            int inputAt = gatesCache + INPUT_GATE * hidden + j;
            int forgetAt = gatesCache + FORGET_GATE * hidden + j;
            int candidateAt = gatesCache + CANDIDATE_GATE * hidden + j;
            int outputAt = gatesCache + OUTPUT_GATE * hidden + j;
            double inputGate = Kernels.sigmoid(cache[inputAt] + params[peepholes + j] * cellPrev);
            double forgetGate = Kernels.sigmoid(cache[forgetAt] + params[peepholes + hidden + j] * cellPrev);
            double candidate = Kernels.tanh(cache[candidateAt]);
            double cell = forgetGate * cellPrev + inputGate * candidate;
            double outputGate = Kernels.sigmoid(cache[outputAt] + params[peepholes + 2 * hidden + j] * cell);
            double tanhCell = Kernels.tanh(cell);
            cache[inputAt] = inputGate;
            cache[forgetAt] = forgetGate;
            cache[candidateAt] = candidate;
            cache[outputAt] = outputGate;
            cache[cellCache + j] = cell;
            cache[tanhCache + j] = tanhCell;
            state[cellStateOffset + j] = cell;
            state[stateOffset + j] = outputGate * tanhCell;
        }
    }

    @Override
    public void backward(double[] params, int paramOffset, double[] cache, int cacheOffset,
                         double[] stateGradient, int stateGradientOffset,
                         double[] inputGradient, int inputGradientOffset,
                         double[] paramGradient, int paramGradientOffset, double[] scratch, int scratchOffset) {
        final int hidden = hiddenSize;
        final int concat = concatSize;
        final int prevCellCache = cacheOffset + concat;
        final int gatesCache = prevCellCache + hidden;
        final int cellCache = gatesCache + GATES * hidden;
        final int tanhCache = cellCache + hidden;
        final int cellGradientOffset = stateGradientOffset + hidden;
        final int preActivationGradient = scratchOffset;
        final int peepholes = paramOffset + peepholeOffset();
        final int peepholeGradient = paramGradientOffset + peepholeOffset();

        for (int j = 0; j < hidden; j++) {
            double hiddenGrad = stateGradient[stateGradientOffset + j];
            double inputGate = cache[gatesCache + INPUT_GATE * hidden + j];
            double forgetGate = cache[gatesCache + FORGET_GATE * hidden + j];
            double candidate = cache[gatesCache + CANDIDATE_GATE * hidden + j];
            double outputGate = cache[gatesCache + OUTPUT_GATE * hidden + j];
            double cellPrev = cache[prevCellCache + j];
            double cell = cache[cellCache + j];
            double tanhCell = cache[tanhCache + j];

            double outputPre = hiddenGrad * tanhCell * outputGate * (1.0 - outputGate);
            // c reaches the loss through h, through the carried dc, and through the output gate's peephole.
            double cellGrad = stateGradient[cellGradientOffset + j]
                    + hiddenGrad * outputGate * (1.0 - tanhCell * tanhCell)
                    + outputPre * params[peepholes + 2 * hidden + j];
            double inputPre = cellGrad * candidate * inputGate * (1.0 - inputGate);
            double forgetPre = cellGrad * cellPrev * forgetGate * (1.0 - forgetGate);

            scratch[preActivationGradient + INPUT_GATE * hidden + j] = inputPre;
            scratch[preActivationGradient + FORGET_GATE * hidden + j] = forgetPre;
            scratch[preActivationGradient + CANDIDATE_GATE * hidden + j] =
                    cellGrad * inputGate * (1.0 - candidate * candidate);
            scratch[preActivationGradient + OUTPUT_GATE * hidden + j] = outputPre;

            paramGradient[peepholeGradient + j] += inputPre * cellPrev;
            paramGradient[peepholeGradient + hidden + j] += forgetPre * cellPrev;
            paramGradient[peepholeGradient + 2 * hidden + j] += outputPre * cell;
            stateGradient[cellGradientOffset + j] = cellGrad * forgetGate
                    + inputPre * params[peepholes + j] + forgetPre * params[peepholes + hidden + j];
        }

        backpropagateRows(params, paramOffset, cache, cacheOffset, scratch, preActivationGradient, paramGradient,
                paramGradientOffset, inputGradient, inputGradientOffset, stateGradient, stateGradientOffset);
    }
}
