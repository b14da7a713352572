package io.seismo.nn;

import java.util.SplittableRandom;

/**
 * The LSTM family: gate blocks over {@code [x; h_prev]} plus a memory cell c. State layout: h (H values) then c (H).
 * Every member caches {@code [x; h_prev]} then {@code c_prev} at the start of its per-step cache.
 */
abstract class MemoryCell extends GateBlockCell {
    MemoryCell(String name, int inputSize, int hiddenSize, int blocks) {
        super(name, inputSize, hiddenSize, blocks);
    }

    /** The block holding the forget gate. */
    abstract int forgetBlock();

    /**
     * Glorot-uniform weights per gate block (fan-in K, fan-out H); forget-gate bias 1 so that early training
     * remembers by default, other biases 0.
     */
    @Override
    public void initialise(double[] params, int offset, SplittableRandom random) {
        initialiseBlocks(params, offset, random, forgetBlock());
    }

    static int stateSize(int hiddenSize) {
        return 2 * hiddenSize;
    }

    @Override
    public int stateSize() {
        return stateSize(hiddenSize);
    }

    /**
     * Caches {@code [x; h_prev]} and then {@code c_prev}.
     *
     * @param cache overwritten at {@code cacheOffset .. cacheOffset + K + H)}
     */
    void loadStep(double[] input, int inputOffset, double[] state, int stateOffset, double[] cache, int cacheOffset) {
        loadStepInputs(input, inputOffset, state, stateOffset, cache, cacheOffset);
        System.arraycopy(state, stateOffset + hiddenSize, cache, cacheOffset + concatSize, hiddenSize);
    }
}
