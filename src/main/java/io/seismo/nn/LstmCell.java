package io.seismo.nn;


/**
 * Standard LSTM layer without peepholes.
 *
 * <pre>
 *   z = W [x; h_prev] + b            (4H values)
 *   i = sigmoid(z_i)  f = sigmoid(z_f)  g = tanh(z_g)  o = sigmoid(z_o)
 *   c = f * c_prev + i * g
 *   h = o * tanh(c)
 * </pre>
 *
 * <p>Parameter layout (I = inputSize, H = hiddenSize, K = I + H): {@code W}, 4H rows of K columns, row-major, rows
 * grouped by gate in order i, f, g, o (row {@code gate * H + j} belongs to unit j), each row's columns being the
 * K inputs {@code [x; h_prev]}; then the bias {@code b}, 4H values in the same row order.
 *
 * <p>State layout: h (H values) then c (H values).
 *
 * <p>Cache layout per step: x (I), h_prev (H), c_prev (H) — so that {@code [x; h_prev]} is contiguous — then the
 * activated gates i, f, g, o (4H), then tanh(c) (H).
 */
final class LstmCell extends MemoryCell {

    static final int GATES = 4;
    static final int INPUT_GATE = 0;
    static final int FORGET_GATE = 1;
    static final int CANDIDATE_GATE = 2;
    static final int OUTPUT_GATE = 3;

    LstmCell(int inputSize, int hiddenSize) {
        super("LSTM", inputSize, hiddenSize, GATES);
    }

    static long parameterCount(int inputSize, int hiddenSize) {
        return blockParameterCount(GATES, inputSize, hiddenSize);
    }

    @Override
    public int cacheSize() {
        return inputSize + 2 * hiddenSize + GATES * hiddenSize + hiddenSize;
    }

    @Override
    int forgetBlock() {
        return FORGET_GATE;
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] input, int inputOffset,
                        double[] state, int stateOffset, double[] cache, int cacheOffset) {
        final int hidden = hiddenSize;
        final int concat = concatSize;
        final int cellStateOffset = stateOffset + hidden;
        final int prevCellCache = cacheOffset + concat;
        final int gatesCache = prevCellCache + hidden;
        final int tanhCache = gatesCache + GATES * hidden;

        loadStep(input, inputOffset, state, stateOffset, cache, cacheOffset);
        for (int r = 0; r < GATES * hidden; r++) {
            double sum = preActivation(params, paramOffset, r, cache, cacheOffset);
            cache[gatesCache + r] = r / hidden == CANDIDATE_GATE ? Kernels.tanh(sum) : Kernels.sigmoid(sum);
        }

        for (int j = 0; j < hidden; j++) {
            double inputGate = cache[gatesCache + INPUT_GATE * hidden + j];
            double forgetGate = cache[gatesCache + FORGET_GATE * hidden + j];
            double candidate = cache[gatesCache + CANDIDATE_GATE * hidden + j];
            double outputGate = cache[gatesCache + OUTPUT_GATE * hidden + j];
            double cell = forgetGate * cache[prevCellCache + j] + inputGate * candidate;
            double tanhCell = Kernels.tanh(cell);
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
        final int tanhCache = gatesCache + GATES * hidden;
        final int cellGradientOffset = stateGradientOffset + hidden;
        final int preActivationGradient = scratchOffset;

        for (int j = 0; j < hidden; j++) {
            double hiddenGrad = stateGradient[stateGradientOffset + j];
            double inputGate = cache[gatesCache + INPUT_GATE * hidden + j];
            double forgetGate = cache[gatesCache + FORGET_GATE * hidden + j];
            double candidate = cache[gatesCache + CANDIDATE_GATE * hidden + j];
            double outputGate = cache[gatesCache + OUTPUT_GATE * hidden + j];
            double tanhCell = cache[tanhCache + j];
            double cellGrad = stateGradient[cellGradientOffset + j]
                    + hiddenGrad * outputGate * (1.0 - tanhCell * tanhCell);

            scratch[preActivationGradient + INPUT_GATE * hidden + j] =
                    cellGrad * candidate * inputGate * (1.0 - inputGate);
            scratch[preActivationGradient + FORGET_GATE * hidden + j] =
                    cellGrad * cache[prevCellCache + j] * forgetGate * (1.0 - forgetGate);
            scratch[preActivationGradient + CANDIDATE_GATE * hidden + j] =
                    cellGrad * inputGate * (1.0 - candidate * candidate);
            scratch[preActivationGradient + OUTPUT_GATE * hidden + j] =
                    hiddenGrad * tanhCell * outputGate * (1.0 - outputGate);
            stateGradient[cellGradientOffset + j] = cellGrad * forgetGate;
        }

        backpropagateRows(params, paramOffset, cache, cacheOffset, scratch, preActivationGradient, paramGradient,
                paramGradientOffset, inputGradient, inputGradientOffset, stateGradient, stateGradientOffset);
    }
}
