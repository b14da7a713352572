package io.seismo.nn;

/**
 * The LSTM family: gate blocks over {@code [x; h_prev]} plus a memory cell c, the output {@code h = o * tanh(c)}.
 *
 * <p>The blocks end with the forget gate f, the candidate g and the output gate o, in that order (an input gate i, if
 * any, comes first). State layout: h (H values) then c (H). Cache layout per step: {@code [x; h_prev]} (K), c_prev
 * (H), the gates (blocks × H, in block order), anything a member adds, and last tanh(c) (H).
 *
 * <p>A step is shared out: this class loads the step, computes the gates' rows, and turns c into h; a member works
 * out c from its gates ({@link #updateCells}). Backwards, this class takes dLoss/dh back through {@code o * tanh(c)}
 * and back-propagates the rows; a member takes dLoss/dc back through its gates ({@link #gateGradients}).
 */
abstract class MemoryCell extends GateBlockCell {
    /** The forget gate's block, third from last. */
    final int forgetBlock;
    /** The candidate's block, second from last. */
    final int candidateBlock;
    /** The output gate's block, the last. */
    final int outputBlock;

    MemoryCell(String name, int inputSize, int hiddenSize, int blocks) {
        super(name, inputSize, hiddenSize, blocks, blocks - 3);
        this.forgetBlock = blocks - 3;
        this.candidateBlock = blocks - 2;
        this.outputBlock = blocks - 1;
    }

    static int stateSize(int hiddenSize) {
        return 2 * hiddenSize;
    }

    @Override
    public int stateSize() {
        return stateSize(hiddenSize);
    }

    /** {@code [x; h_prev]}, c_prev, the gates and tanh(c); members that cache more add it. */
    @Override
    public int cacheSize() {
        return concatSize + hiddenSize + blocks * hiddenSize + hiddenSize;
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] input, int inputOffset,
                        double[] state, int stateOffset, double[] cache, int cacheOffset) {
        final int prevCells = cacheOffset + concatSize;
        final int gates = prevCells + hiddenSize;
        final int cells = stateOffset + hiddenSize;
        loadStepInputs(input, inputOffset, state, stateOffset, cache, cacheOffset);
        System.arraycopy(state, cells, cache, prevCells, hiddenSize);
        activateGates(params, paramOffset, cache, cacheOffset, gates);
        updateCells(params, paramOffset, cache, prevCells, gates, state, cells);

        final int outputGates = gates + outputBlock * hiddenSize;
        final int tanhCells = cacheOffset + cacheSize() - hiddenSize;
        for (int j = 0; j < hiddenSize; j++) {
            double tanhCell = Kernels.tanh(state[cells + j]);
            cache[tanhCells + j] = tanhCell;
            state[stateOffset + j] = cache[outputGates + j] * tanhCell;
        }
    }

    /**
     * Writes each gate row's activation at {@code cache[gates + r]}: the candidate's rows through tanh, the others through
     * the logistic function.
     */
    void activateGates(double[] params, int paramOffset, double[] cache, int cacheOffset, int gates) {
        for (int r = 0; r < blocks * hiddenSize; r++) {
            double sum = preActivation(params, paramOffset, r, cache, cacheOffset);
            cache[gates + r] = r / hiddenSize == candidateBlock ? Kernels.tanh(sum) : Kernels.sigmoid(sum);
        }
    }

    /**
     * Writes the new c into the state from the gates {@link #activateGates} wrote and c_prev, and leaves the output gate's
     * activations among the gates.
     *
     * @param prevCells where c_prev starts in this step's cache
     * @param gates     where the gates start in this step's cache
     * @param state     modified: c's H values from {@code cells}
     */
    abstract void updateCells(double[] params, int paramOffset, double[] cache, int prevCells, int gates,
                              double[] state, int cells);

    @Override
    public void backward(double[] params, int paramOffset, double[] cache, int cacheOffset,
                         double[] stateGradient, int stateGradientOffset,
                         double[] inputGradient, int inputGradientOffset,
                         double[] paramGradient, int paramGradientOffset, double[] scratch, int scratchOffset) {
        final int prevCells = cacheOffset + concatSize;
        final int gates = prevCells + hiddenSize;
        final int outputGates = gates + outputBlock * hiddenSize;
        final int tanhCells = cacheOffset + cacheSize() - hiddenSize;
        final int cellGradients = stateGradientOffset + hiddenSize;
        final int outputGradients = scratchOffset + outputBlock * hiddenSize;

        // c reaches the loss through h as well as through the carried dLoss/dc: add that path; and the output gate's.
        for (int j = 0; j < hiddenSize; j++) {
            double hiddenGrad = stateGradient[stateGradientOffset + j];
            double outputGate = cache[outputGates + j];
            double tanhCell = cache[tanhCells + j];
            stateGradient[cellGradients + j] += Kernels.tanhGradient(hiddenGrad * outputGate, tanhCell);
            scratch[outputGradients + j] = Kernels.sigmoidGradient(hiddenGrad * tanhCell, outputGate);
        }
        gateGradients(params, paramOffset, cache, prevCells, gates, stateGradient, cellGradients, scratch, scratchOffset,
                paramGradient, paramGradientOffset);

        backpropagateRows(params, paramOffset, cache, cacheOffset, scratch, scratchOffset, paramGradient,
                paramGradientOffset, inputGradient, inputGradientOffset, stateGradient, stateGradientOffset);
    }

    /**
     * Takes dLoss/dc back through the gates of {@link #updateCells}: writes the pre-activation gradients of every block
     * but the output gate's, which are written already, and replaces dLoss/dc by dLoss/dc_prev.
     *
     * @param cellGradient modified: on entry dLoss/dc (through h and carried) from {@code cellGradients}, on return
     *                     dLoss/dc_prev
     * @param dz           the rows' pre-activation gradients from {@code dzOffset}: the output gate's read, the others
     *                     written
     * @param paramGradient accumulated for any parameters after the biases
     */
    abstract void gateGradients(double[] params, int paramOffset, double[] cache, int prevCells, int gates,
                                double[] cellGradient, int cellGradients, double[] dz, int dzOffset,
                                double[] paramGradient, int paramGradientOffset);
}
