package io.seismo.nn;


/**
 * LSTM layer with coupled input and forget gates (no peepholes): the input gate is {@code 1 - f}, so the cell
 * writes exactly as much as it forgets and has no input-gate parameters.
 *
 * <pre>
 *   z = W [x; h_prev] + b            (3H values)
 *   f = sigmoid(z_f)  g = tanh(z_g)  o = sigmoid(z_o)
 *   c = f * c_prev + (1 - f) * g
 *   h = o * tanh(c)
 * </pre>
 *
 * <p>Parameter layout: {@link GateBlockCell}'s, three blocks, the gates in order f, g, o.
 *
 * <p>State and cache layout: {@link MemoryCell}'s, the cache holding the activated gates f, g, o (3H) and then
 * tanh(c) (H).
 */
final class CoupledLstmCell extends MemoryCell {

    static final int GATES = 3;
    static final int FORGET_GATE = 0;
    static final int CANDIDATE_GATE = 1;
    static final int OUTPUT_GATE = 2;

    CoupledLstmCell(int inputSize, int hiddenSize) {
        super("coupled LSTM", inputSize, hiddenSize, GATES);
    }

    /** {@code c = f * c_prev + (1 - f) * g}. */
    @Override
    void updateCells(double[] params, int paramOffset, double[] cache, int prevCells, int gates,
                     double[] state, int cells) {
        for (int j = 0; j < hiddenSize; j++) {
            double forgetGate = cache[gates + FORGET_GATE * hiddenSize + j];
            double candidate = cache[gates + CANDIDATE_GATE * hiddenSize + j];
            state[cells + j] = forgetGate * cache[prevCells + j] + (1.0 - forgetGate) * candidate;
        }
    }

    @Override
    void gateGradients(double[] params, int paramOffset, double[] cache, int prevCells, int gates,
                       double[] cellGradient, int cellGradients, double[] dz, int dzOffset,
                       double[] paramGradient, int paramGradientOffset) {
        for (int j = 0; j < hiddenSize; j++) {
            double forgetGate = cache[gates + FORGET_GATE * hiddenSize + j];
            double candidate = cache[gates + CANDIDATE_GATE * hiddenSize + j];
            double cellGrad = cellGradient[cellGradients + j];
            // f both keeps c_prev and (through i = 1 - f) suppresses g, hence dc/df = c_prev - g.
            dz[dzOffset + FORGET_GATE * hiddenSize + j] =
                    Kernels.sigmoidGradient(cellGrad * (cache[prevCells + j] - candidate), forgetGate);
            dz[dzOffset + CANDIDATE_GATE * hiddenSize + j] =
                    Kernels.tanhGradient(cellGrad * (1.0 - forgetGate), candidate);
            cellGradient[cellGradients + j] = cellGrad * forgetGate;
        }
    }
}
