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
 * <p>Parameter layout: {@link GateBlockCell}'s, four blocks, the gates in order i, f, g, o.
 *
 * <p>State and cache layout: {@link MemoryCell}'s, the cache holding the activated gates i, f, g, o (4H) and then
 * tanh(c) (H).
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

    /** {@code c = f * c_prev + i * g}. */
    @Override
    void updateCells(double[] params, int paramOffset, double[] cache, int prevCells, int gates,
                     double[] state, int cells) {
        for (int j = 0; j < hiddenSize; j++) {
            double inputGate = cache[gates + INPUT_GATE * hiddenSize + j];
            double forgetGate = cache[gates + FORGET_GATE * hiddenSize + j];
            double candidate = cache[gates + CANDIDATE_GATE * hiddenSize + j];
            state[cells + j] = forgetGate * cache[prevCells + j] + inputGate * candidate;
        }
    }

    @Override
    void gateGradients(double[] params, int paramOffset, double[] cache, int prevCells, int gates,
                       double[] cellGradient, int cellGradients, double[] dz, int dzOffset,
                       double[] paramGradient, int paramGradientOffset) {
        for (int j = 0; j < hiddenSize; j++) {
            double inputGate = cache[gates + INPUT_GATE * hiddenSize + j];
            double forgetGate = cache[gates + FORGET_GATE * hiddenSize + j];
            double candidate = cache[gates + CANDIDATE_GATE * hiddenSize + j];
            double cellGrad = cellGradient[cellGradients + j];
            dz[dzOffset + INPUT_GATE * hiddenSize + j] = Kernels.sigmoidGradient(cellGrad * candidate, inputGate);
            dz[dzOffset + FORGET_GATE * hiddenSize + j] =
                    Kernels.sigmoidGradient(cellGrad * cache[prevCells + j], forgetGate);
            dz[dzOffset + CANDIDATE_GATE * hiddenSize + j] = Kernels.tanhGradient(cellGrad * inputGate, candidate);
            cellGradient[cellGradients + j] = cellGrad * forgetGate;
        }
    }
}
