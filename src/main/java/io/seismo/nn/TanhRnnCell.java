package io.seismo.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Plain (Elman) recurrent layer with a tanh activation.
 *
 * <pre>
 *   h = tanh(W [x; h_prev] + b)
 * </pre>
 *
 * <p>Parameter layout (I = inputSize, H = hiddenSize, K = I + H): {@code W}, H rows of K columns, row-major (row j
 * belongs to unit j), each row's columns being the K inputs {@code [x; h_prev]}; then the bias {@code b}, H values.
 *
 * <p>State layout: h (H values).
 *
 * <p>Cache layout per step: x (I), h_prev (H) — so that {@code [x; h_prev]} is contiguous — then h (H).
 */
final class TanhRnnCell implements RecurrentCell {

    private final int inputSize;
    private final int hiddenSize;
    private final int concatSize;

    TanhRnnCell(int inputSize, int hiddenSize) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(
                    "RNN needs inputSize >= 1 and hiddenSize >= 1 but got " + inputSize + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.concatSize = inputSize + hiddenSize;
    }

    static long parameterCount(int inputSize, int hiddenSize) {
        long rows = hiddenSize;
        return rows * ((long) inputSize + hiddenSize) + rows;
    }

    static int stateSize(int hiddenSize) {
        return hiddenSize;
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
        return concatSize + hiddenSize;
    }

    @Override
    public int backwardScratchSize() {
        return hiddenSize;
    }

    /** Offset of the bias within this layer's parameters. */
    int biasOffset() {
        return hiddenSize * concatSize;
    }

    /** Glorot-uniform weights (fan-in K, fan-out H); biases 0. */
    @Override
    public void initialise(double[] params, int offset, SplittableRandom random) {
        double limit = Math.sqrt(6.0 / (concatSize + hiddenSize));
        int weights = hiddenSize * concatSize;
        for (int k = 0; k < weights; k++) {
            params[offset + k] = (2.0 * random.nextDouble() - 1.0) * limit;
        }
        Arrays.fill(params, offset + weights, offset + weights + hiddenSize, 0.0);
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] input, int inputOffset,
                        double[] state, int stateOffset, double[] cache, int cacheOffset) {
        final int hidden = hiddenSize;
        final int concat = concatSize;
        final int outputCache = cacheOffset + concat;

        System.arraycopy(input, inputOffset, cache, cacheOffset, inputSize);
        System.arraycopy(state, stateOffset, cache, cacheOffset + inputSize, hidden);

        // h_prev is read from the cache, so writing h into the state while looping is safe.
        final int biasOffset = paramOffset + biasOffset();
        for (int j = 0; j < hidden; j++) {
            double sum = params[biasOffset + j];
            int row = paramOffset + j * concat;
            sum = Kernels.dot(sum, params, row, cache, cacheOffset, concat);
            double h = Kernels.tanh(sum);
            cache[outputCache + j] = h;
            state[stateOffset + j] = h;
        }
    }

    @Override
    public void backward(double[] params, int paramOffset, double[] cache, int cacheOffset,
                         double[] stateGradient, int stateGradientOffset,
                         double[] inputGradient, int inputGradientOffset,
                         double[] paramGradient, int paramGradientOffset, double[] scratch, int scratchOffset) {
        final int hidden = hiddenSize;
        final int concat = concatSize;
        final int outputCache = cacheOffset + concat;
        final int preActivationGradient = scratchOffset;

        for (int j = 0; j < hidden; j++) {
            double h = cache[outputCache + j];
            scratch[preActivationGradient + j] = stateGradient[stateGradientOffset + j] * (1.0 - h * h);
        }

        // dx and dh_prev are W^T dz; accumulate row by row so W is read contiguously.
        Arrays.fill(inputGradient, inputGradientOffset, inputGradientOffset + inputSize, 0.0);
        Arrays.fill(stateGradient, stateGradientOffset, stateGradientOffset + hidden, 0.0);
        final int biasGradient = paramGradientOffset + biasOffset();
        final int hiddenColumnsInGradient = stateGradientOffset - inputSize;
        for (int r = 0; r < hidden; r++) {
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
