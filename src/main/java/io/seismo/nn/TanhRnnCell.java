package io.seismo.nn;

/**
 * Plain (Elman) recurrent layer with a tanh activation.
 *
 * <pre>
 *   h = tanh(W [x; h_prev] + b)
 * </pre>
 *
 * <p>Parameter layout: {@link GateBlockCell}'s, one block (row j belongs to unit j).
 *
 * <p>State and cache layout: {@link GateBlockCell}'s, the cache holding h (H).
 */
final class TanhRnnCell extends GateBlockCell {

    /** One block of rows: h's. */
    static final int BLOCKS = 1;

    TanhRnnCell(int inputSize, int hiddenSize) {
        super("RNN", inputSize, hiddenSize, BLOCKS, -1);
    }

    @Override
    public int cacheSize() {
        return concatSize + hiddenSize;
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] input, int inputOffset,
                        double[] state, int stateOffset, double[] cache, int cacheOffset) {
        final int outputCache = cacheOffset + concatSize;
        loadStepInputs(input, inputOffset, state, stateOffset, cache, cacheOffset);

        // h_prev is read from the cache, so writing h into the state while looping is safe.
        for (int j = 0; j < hiddenSize; j++) {
            double h = Kernels.tanh(preActivation(params, paramOffset, j, cache, cacheOffset));
            cache[outputCache + j] = h;
            state[stateOffset + j] = h;
        }
    }

    @Override
    public void backward(double[] params, int paramOffset, double[] cache, int cacheOffset,
                         double[] stateGradient, int stateGradientOffset,
                         double[] inputGradient, int inputGradientOffset,
                         double[] paramGradient, int paramGradientOffset, double[] scratch, int scratchOffset) {
        final int outputCache = cacheOffset + concatSize;
        for (int j = 0; j < hiddenSize; j++) {
            scratch[scratchOffset + j] = Kernels.tanhGradient(stateGradient[stateGradientOffset + j], cache[outputCache + j]);
        }
        backpropagateRows(params, paramOffset, cache, cacheOffset, scratch, scratchOffset, paramGradient,
                paramGradientOffset, inputGradient, inputGradientOffset, stateGradient, stateGradientOffset);
    }
}
