package io.seismo.nn;

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
final class TanhRnnCell extends GateBlockCell {

    TanhRnnCell(int inputSize, int hiddenSize) {
        super("RNN", inputSize, hiddenSize, 1);
    }

    static long parameterCount(int inputSize, int hiddenSize) {
        return blockParameterCount(1, inputSize, hiddenSize);
    }

    static int stateSize(int hiddenSize) {
        return hiddenSize;
    }

    @Override
    public int stateSize() {
        return stateSize(hiddenSize);
    }

    @Override
    public int cacheSize() {
        return concatSize + hiddenSize;
    }

    /** Glorot-uniform weights (fan-in K, fan-out H); biases 0. */
    @Override
    public void initialise(double[] params, int offset, SplittableRandom random) {
        initialiseBlocks(params, offset, random, -1);
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] input, int inputOffset,
                        double[] state, int stateOffset, double[] cache, int cacheOffset) {
        final int hidden = hiddenSize;
        final int concat = concatSize;
        final int outputCache = cacheOffset + concat;

        loadStepInputs(input, inputOffset, state, stateOffset, cache, cacheOffset);

        // h_prev is read from the cache, so writing h into the state while looping is safe.
        for (int j = 0; j < hidden; j++) {
            double sum = preActivation(params, paramOffset, j, cache, cacheOffset);
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

        backpropagateRows(params, paramOffset, cache, cacheOffset, scratch, preActivationGradient, paramGradient,
                paramGradientOffset, inputGradient, inputGradientOffset, stateGradient, stateGradientOffset);
    }
}
