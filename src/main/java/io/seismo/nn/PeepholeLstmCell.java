package io.seismo.nn;

import static io.seismo.nn.LstmCell.CANDIDATE_GATE;
import static io.seismo.nn.LstmCell.FORGET_GATE;
import static io.seismo.nn.LstmCell.GATES;
import static io.seismo.nn.LstmCell.INPUT_GATE;
import static io.seismo.nn.LstmCell.OUTPUT_GATE;

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
 * <p>Parameter layout: W and b exactly as in {@link LstmCell}; then the peephole weights {@code p_i}, {@code p_f},
 * {@code p_o}, H values each (value j belongs to unit j).
 *
 * <p>State and cache layout: {@link MemoryCell}'s, the cache holding the activated gates i, f, g, o (4H), then c (H),
 * then tanh(c) (H).
 */
final class PeepholeLstmCell extends MemoryCell {

    /** Peephole vectors: one each for the input, forget and output gates. */
    static final int PEEPHOLES = 3;

    PeepholeLstmCell(int inputSize, int hiddenSize) {
        super("peephole LSTM", inputSize, hiddenSize, GATES);
    }

    static long parameterCount(int inputSize, int hiddenSize) {
        return blockParameterCount(GATES, inputSize, hiddenSize) + (long) PEEPHOLES * hiddenSize;
    }

    @Override
    public int parameterCount() {
        return (int) parameterCount(inputSize, hiddenSize);
    }

    /** c is cached too, between the gates and tanh(c). */
    @Override
    public int cacheSize() {
        return super.cacheSize() + hiddenSize;
    }

    /** Offset of the peephole weights (p_i, p_f, p_o) within this layer's parameters. */
    int peepholeOffset() {
        return biasOffset() + GATES * hiddenSize;
    }

    /**
     * As {@link GateBlockCell#initialise}, and peepholes 0, so the layer starts as a plain LSTM and learns how much to
     * look at its cell (their gradient is not zero at zero).
     */
    @Override
    public void initialise(double[] params, int offset, SplittableRandom random) {
        super.initialise(params, offset, random);
        int peepholes = offset + peepholeOffset();
        Arrays.fill(params, peepholes, peepholes + PEEPHOLES * hiddenSize, 0.0);
    }

    /** Pre-activations only: the gates' peephole terms need c_prev (input, forget) or c (output) per unit. */
    @Override
    void activateGates(double[] params, int paramOffset, double[] cache, int cacheOffset, int gates) {
        for (int r = 0; r < GATES * hiddenSize; r++) {
            cache[gates + r] = preActivation(params, paramOffset, r, cache, cacheOffset);
        }
    }

    /** Activates the gates, adding the peephole terms, in the cache; caches c as well. */
    @Override
    void updateCells(double[] params, int paramOffset, double[] cache, int prevCells, int gates,
                     double[] state, int cells) {
        final int hidden = hiddenSize;
        final int cellCache = gates + GATES * hidden;
        final int peepholes = paramOffset + peepholeOffset();
        for (int j = 0; j < hidden; j++) {
            double cellPrev = cache[prevCells + j];
            int inputAt = gates + INPUT_GATE * hidden + j;
            int forgetAt = gates + FORGET_GATE * hidden + j;
            int candidateAt = gates + CANDIDATE_GATE * hidden + j;
            int outputAt = gates + OUTPUT_GATE * hidden + j;
            double inputGate = Kernels.sigmoid(cache[inputAt] + params[peepholes + j] * cellPrev);
            double forgetGate = Kernels.sigmoid(cache[forgetAt] + params[peepholes + hidden + j] * cellPrev);
            double candidate = Kernels.tanh(cache[candidateAt]);
            double cell = forgetGate * cellPrev + inputGate * candidate;
            cache[inputAt] = inputGate;
            cache[forgetAt] = forgetGate;
            cache[candidateAt] = candidate;
            cache[outputAt] = Kernels.sigmoid(cache[outputAt] + params[peepholes + 2 * hidden + j] * cell);
            cache[cellCache + j] = cell;
            state[cells + j] = cell;
        }
    }

    @Override
    void gateGradients(double[] params, int paramOffset, double[] cache, int prevCells, int gates,
                       double[] cellGradient, int cellGradients, double[] dz, int dzOffset,
                       double[] paramGradient, int paramGradientOffset) {
        final int hidden = hiddenSize;
        final int cellCache = gates + GATES * hidden;
        final int peepholes = paramOffset + peepholeOffset();
        final int peepholeGradient = paramGradientOffset + peepholeOffset();

        for (int j = 0; j < hidden; j++) {
            double inputGate = cache[gates + INPUT_GATE * hidden + j];
            double forgetGate = cache[gates + FORGET_GATE * hidden + j];
            double candidate = cache[gates + CANDIDATE_GATE * hidden + j];
            double cellPrev = cache[prevCells + j];
            double outputPre = dz[dzOffset + OUTPUT_GATE * hidden + j];
            // c reaches the loss through the output gate's peephole too.
            double cellGrad = cellGradient[cellGradients + j] + outputPre * params[peepholes + 2 * hidden + j];
            double inputPre = Kernels.sigmoidGradient(cellGrad * candidate, inputGate);
            double forgetPre = Kernels.sigmoidGradient(cellGrad * cellPrev, forgetGate);

            dz[dzOffset + INPUT_GATE * hidden + j] = inputPre;
            dz[dzOffset + FORGET_GATE * hidden + j] = forgetPre;
            dz[dzOffset + CANDIDATE_GATE * hidden + j] = Kernels.tanhGradient(cellGrad * inputGate, candidate);

            paramGradient[peepholeGradient + j] += inputPre * cellPrev;
            paramGradient[peepholeGradient + hidden + j] += forgetPre * cellPrev;
            paramGradient[peepholeGradient + 2 * hidden + j] += outputPre * cache[cellCache + j];
            cellGradient[cellGradients + j] = cellGrad * forgetGate
                    + inputPre * params[peepholes + j] + forgetPre * params[peepholes + hidden + j];
        }
    }
}
