package io.seismo.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What the cells share: {@code blocks} blocks of H rows each, every row an affine map of the concatenated step input
 * {@code [x; h_prev]}. Subclasses add their activations, their state and any parameters after the biases.
 *
 * <p>Parameter layout (I = inputSize, H = hiddenSize, K = I + H): {@code W}, blocks × H rows of K columns, row-major,
 * rows grouped by block (row {@code block * H + j} belongs to unit j), each row's columns being the K inputs
 * {@code [x; h_prev]}; then the bias {@code b}, blocks × H values in the same row order.
 *
 * <p>State layout: h (H values) first; {@link MemoryCell} adds c. Cache layout per step: x (I) then h_prev (H), so
 * that {@code [x; h_prev]} is contiguous ({@link #loadStepInputs}), then what the cell records.
 */
abstract class GateBlockCell implements RecurrentCell {
    protected final int inputSize;
    protected final int hiddenSize;
    protected final int concatSize;
    protected final int blocks;
    /** The block whose biases start at 1 (a forget gate), or -1 for none. */
    private final int oneBiasBlock;

    /**
     * @param name         the cell's name for the message of a bad size
     * @param oneBiasBlock the forget gate's block, whose biases {@link #initialise} sets to 1; -1 for a cell without one
     */
    GateBlockCell(String name, int inputSize, int hiddenSize, int blocks, int oneBiasBlock) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(
                    name + " needs inputSize >= 1 and hiddenSize >= 1 but got " + inputSize + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.concatSize = inputSize + hiddenSize;
        this.blocks = blocks;
        this.oneBiasBlock = oneBiasBlock;
    }

    /** Weights and biases of {@code blocks} blocks of rows over I + H inputs. */
    static long blockParameterCount(int blocks, int inputSize, int hiddenSize) {
        long rows = (long) blocks * hiddenSize;
        return rows * ((long) inputSize + hiddenSize) + rows;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    /** Doubles of state of a cell that keeps h only (H values); {@link MemoryCell} keeps c as well. */
    static int stateSize(int hiddenSize) {
        return hiddenSize;
    }

    @Override
    public int stateSize() {
        return stateSize(hiddenSize);
    }

    /** The blocks' weights and biases; cells with parameters after the biases add them. */
    @Override
    public int parameterCount() {
        return (int) blockParameterCount(blocks, inputSize, hiddenSize);
    }

    /** One pre-activation gradient per row. */
    @Override
    public int backwardScratchSize() {
        return blocks * hiddenSize;
    }

    /** Offset of the biases within this layer's parameters. */
    int biasOffset() {
        return blocks * hiddenSize * concatSize;
    }

    /**
     * Glorot-uniform weights per block (fan-in K, fan-out H); biases 1 in the forget gate's block, if the cell has one,
     * so that early training remembers by default, and 0 elsewhere. Cells with parameters after the biases set them.
     */
    @Override
    public void initialise(double[] params, int offset, SplittableRandom random) {
        double limit = Math.sqrt(6.0 / (concatSize + hiddenSize));
        int weights = biasOffset();
        for (int k = 0; k < weights; k++) {
            params[offset + k] = (2.0 * random.nextDouble() - 1.0) * limit;
        }
        int bias = offset + weights;
        for (int r = 0; r < blocks * hiddenSize; r++) {
            params[bias + r] = r / hiddenSize == oneBiasBlock ? 1.0 : 0.0;
        }
    }

    /**
     * Copies the step input {@code x} and the previous hidden state {@code h_prev} (the first H values of the state)
     * into the cache as the contiguous K inputs {@code [x; h_prev]} the rows read.
     *
     * @param cache overwritten at {@code cacheOffset .. cacheOffset + K)}
     */
    void loadStepInputs(double[] input, int inputOffset, double[] state, int stateOffset, double[] cache, int cacheOffset) {
        System.arraycopy(input, inputOffset, cache, cacheOffset, inputSize);
        System.arraycopy(state, stateOffset, cache, cacheOffset + inputSize, hiddenSize);
    }

    /** Row {@code r}'s pre-activation: its bias plus its weights times the K inputs at {@code cache[concatOffset]}. */
    double preActivation(double[] params, int paramOffset, int r, double[] cache, int concatOffset) {
        return Kernels.dot(params[paramOffset + biasOffset() + r], params, paramOffset + r * concatSize, cache, concatOffset,
                concatSize);
    }

    /**
     * Back-propagates the rows' pre-activation gradients {@code dz}: adds {@code dz ⊗ [x; h_prev]} to the weight
     * gradient and {@code dz} to the bias gradient, and writes {@code W^T dz} into the input gradient and over the
     * first H values (dh_prev) of the state gradient.
     *
     * @param dz            read: blocks × H values at {@code dzOffset}
     * @param paramGradient accumulated
     * @param inputGradient overwritten: I values
     * @param stateGradient its first H values at {@code stateGradientOffset} overwritten with dh_prev
     */
    void backpropagateRows(double[] params, int paramOffset, double[] cache, int concatOffset, double[] dz, int dzOffset,
                           double[] paramGradient, int paramGradientOffset, double[] inputGradient, int inputGradientOffset,
                           double[] stateGradient, int stateGradientOffset) {
        Arrays.fill(inputGradient, inputGradientOffset, inputGradientOffset + inputSize, 0.0);
        Arrays.fill(stateGradient, stateGradientOffset, stateGradientOffset + hiddenSize, 0.0);
        accumulateRows(0, blocks * hiddenSize, params, paramOffset, cache, concatOffset, dz, dzOffset, paramGradient,
                paramGradientOffset, inputGradient, inputGradientOffset, stateGradient, stateGradientOffset);
    }

    /**
     * Back-propagates rows {@code [from, to)}, which read {@code [x; h_prev]}, as {@link #backpropagateRows} does, but
     * adds {@code W^T dz} to the input gradient and to dh_prev instead of overwriting them. Accumulates row by row so W
     * is read contiguously.
     *
     * @param dz read: the rows' pre-activation gradients, row r's at {@code dzOffset + r}
     */
    void accumulateRows(int from, int to, double[] params, int paramOffset, double[] cache, int concatOffset, double[] dz,
                        int dzOffset, double[] paramGradient, int paramGradientOffset, double[] inputGradient,
                        int inputGradientOffset, double[] stateGradient, int stateGradientOffset) {
        final int concat = concatSize;
        final int biasGradient = paramGradientOffset + biasOffset();
        final int hiddenColumnsInGradient = stateGradientOffset - inputSize;
        for (int r = from; r < to; r++) {
            double d = dz[dzOffset + r];
            paramGradient[biasGradient + r] += d;
            int row = r * concat;
            for (int k = 0; k < concat; k++) {
                paramGradient[paramGradientOffset + row + k] += d * cache[concatOffset + k];
            }
            for (int k = 0; k < inputSize; k++) {
                inputGradient[inputGradientOffset + k] += d * params[paramOffset + row + k];
            }
            for (int k = inputSize; k < concat; k++) {
                stateGradient[hiddenColumnsInGradient + k] += d * params[paramOffset + row + k];
            }
        }
    }
}
