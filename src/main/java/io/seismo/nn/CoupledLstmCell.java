package io.seismo.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

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
 * <p>Parameter layout (I = inputSize, H = hiddenSize, K = I + H): {@code W}, 3H rows of K columns, row-major, rows
 * grouped by gate in order f, g, o (row {@code gate * H + j} belongs to unit j), each row's columns being the
 * K inputs {@code [x; h_prev]}; then the bias {@code b}, 3H values in the same row order.
 *
 * <p>State layout: h (H values) then c (H values).
 *
 * <p>Cache layout per step: x (I), h_prev (H), c_prev (H) — so that {@code [x; h_prev]} is contiguous — then the
 * activated gates f, g, o (3H), then tanh(c) (H).
 */
final class CoupledLstmCell implements RecurrentCell {

    static final int GATES = 3;
    static final int FORGET_GATE = 0;
    static final int CANDIDATE_GATE = 1;
    static final int OUTPUT_GATE = 2;

    private final int inputSize;
    private final int hiddenSize;
    private final int concatSize;

    CoupledLstmCell(int inputSize, int hiddenSize) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("Coupled LSTM needs inputSize >= 1 and hiddenSize >= 1 but got "
                    + inputSize + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.concatSize = inputSize + hiddenSize;
    }

    static long parameterCount(int inputSize, int hiddenSize) {
        long rows = (long) GATES * hiddenSize;
        return rows * ((long) inputSize + hiddenSize) + rows;
    }

    static int stateSize(int hiddenSize) {
        return 2 * hiddenSize;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public int parameterCount() {
        return (int) parameterCount(inputSize, hiddenSize);
    }

    @Override
    public int stateSize() {
        return stateSize(hiddenSize);
    }

    @Override
    public int cacheSize() {
        return inputSize + 2 * hiddenSize + GATES * hiddenSize + hiddenSize;
    }

    @Override
    public int backwardScratchSize() {
        return GATES * hiddenSize;
    }

    /** Offset of the bias within this layer's parameters. */
    int biasOffset() {
        return GATES * hiddenSize * concatSize;
    }

    /**
     * Glorot-uniform weights per gate block (fan-in K, fan-out H); forget-gate bias 1 so that early training
     * remembers by default, other biases 0.
     */
    @Override
    public void initialise(double[] params, int offset, SplittableRandom random) {
        double limit = Math.sqrt(6.0 / (concatSize + hiddenSize));
        int weights = GATES * hiddenSize * concatSize;
        for (int k = 0; k < weights; k++) {
            params[offset + k] = (2.0 * random.nextDouble() - 1.0) * limit;
        }
        int bias = offset + weights;
        for (int r = 0; r < GATES * hiddenSize; r++) {
            params[bias + r] = r / hiddenSize == FORGET_GATE ? 1.0 : 0.0;
        }
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

        System.arraycopy(input, inputOffset, cache, cacheOffset, inputSize);
        System.arraycopy(state, stateOffset, cache, cacheOffset + inputSize, hidden);
        System.arraycopy(state, cellStateOffset, cache, prevCellCache, hidden);

        final int biasOffset = paramOffset + biasOffset();
        for (int r = 0; r < GATES * hidden; r++) {
            double sum = params[biasOffset + r];
            int row = paramOffset + r * concat;
            sum = Kernels.dot(sum, params, row, cache, cacheOffset, concat);
            cache[gatesCache + r] = r / hidden == CANDIDATE_GATE ? Kernels.tanh(sum) : Kernels.sigmoid(sum);
        }

        for (int j = 0; j < hidden; j++) {
            double forgetGate = cache[gatesCache + FORGET_GATE * hidden + j];
            double candidate = cache[gatesCache + CANDIDATE_GATE * hidden + j];
            double outputGate = cache[gatesCache + OUTPUT_GATE * hidden + j];
            double cell = forgetGate * cache[prevCellCache + j] + (1.0 - forgetGate) * candidate;
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
            double forgetGate = cache[gatesCache + FORGET_GATE * hidden + j];
            double candidate = cache[gatesCache + CANDIDATE_GATE * hidden + j];
            double outputGate = cache[gatesCache + OUTPUT_GATE * hidden + j];
            double tanhCell = cache[tanhCache + j];
            double cellGrad = stateGradient[cellGradientOffset + j]
                    + hiddenGrad * outputGate * (1.0 - tanhCell * tanhCell);

            // f both keeps c_prev and (through i = 1 - f) suppresses g, hence dc/df = c_prev - g.
            scratch[preActivationGradient + FORGET_GATE * hidden + j] =
                    cellGrad * (cache[prevCellCache + j] - candidate) * forgetGate * (1.0 - forgetGate);
            scratch[preActivationGradient + CANDIDATE_GATE * hidden + j] =
                    cellGrad * (1.0 - forgetGate) * (1.0 - candidate * candidate);
            scratch[preActivationGradient + OUTPUT_GATE * hidden + j] =
                    hiddenGrad * tanhCell * outputGate * (1.0 - outputGate);
            stateGradient[cellGradientOffset + j] = cellGrad * forgetGate;
        }

        // dx and dh_prev are W^T dz; accumulate row by row so W is read contiguously.
        Arrays.fill(inputGradient, inputGradientOffset, inputGradientOffset + inputSize, 0.0);
        Arrays.fill(stateGradient, stateGradientOffset, stateGradientOffset + hidden, 0.0);
        final int biasGradient = paramGradientOffset + biasOffset();
        final int hiddenColumnsInGradient = stateGradientOffset - inputSize;
        for (int r = 0; r < GATES * hidden; r++) {
            double dz = scratch[preActivationGradient + r];
            paramGradient[biasGradient + r] += dz;
            int row = r * concat;
            for (int k = 0; k < concat; k++) {
                paramGradient[paramGradientOffset + row + k] += dz * cache[cacheOffset + k];
            }
            for (int k = 0; k < inputSize; k++) {
                inputGradient[inputGradientOffset + k] += dz * params[paramOffset + row + k];
            }
            for (int k = inputSize; k < concat; k++) {
                stateGradient[hiddenColumnsInGradient + k] += dz * params[paramOffset + row + k];
            }
        }
    }
}
