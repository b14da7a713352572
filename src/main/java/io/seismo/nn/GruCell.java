package io.seismo.nn;

import java.util.Arrays;

/**
 * Gated recurrent unit in the original formulation of Cho et al. (2014): the reset gate multiplies h_prev
 * <em>before</em> the recurrent product of the candidate (not after it, as cuDNN and PyTorch do).
 *
 * <pre>
 *   z = sigmoid(W_z x + U_z h_prev + b_z)            update gate
 *   r = sigmoid(W_r x + U_r h_prev + b_r)            reset gate
 *   n = tanh(W_n x + U_n (r * h_prev) + b_n)         candidate
 *   h = (1 - z) * n + z * h_prev
 * </pre>
 *
 * <p>Convention: z near 1 keeps the previous state, z near 0 takes the candidate (as in Cho et al. and PyTorch).
 *
 * <p>Parameter layout: {@link GateBlockCell}'s, three blocks, the gates in order z, r, n; each row's first I columns
 * are that row of {@code W_gate} and its last H columns that row of {@code U_gate}, so the z and r rows apply to
 * {@code [x; h_prev]} and the n rows to {@code [x; r * h_prev]}.
 *
 * <p>State and cache layout: {@link GateBlockCell}'s, the cache holding r * h_prev (H) and then the activated gates
 * z, r, n (3H).
 */
final class GruCell extends GateBlockCell {

    static final int GATES = 3;
    static final int UPDATE_GATE = 0;
    static final int RESET_GATE = 1;
    static final int CANDIDATE_GATE = 2;

    GruCell(int inputSize, int hiddenSize) {
        super("GRU", inputSize, hiddenSize, GATES, -1);
    }

    @Override
    public int cacheSize() {
        return concatSize + hiddenSize + GATES * hiddenSize;
    }

    /** Pre-activation gradients (3H) then dLoss/d(r * h_prev) (H). */
    @Override
    public int backwardScratchSize() {
        return GATES * hiddenSize + hiddenSize;
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] input, int inputOffset,
                        double[] state, int stateOffset, double[] cache, int cacheOffset) {
        final int hidden = hiddenSize;
        final int concat = concatSize;
        final int prevHiddenCache = cacheOffset + inputSize;
        final int resetHiddenCache = cacheOffset + concat;
        final int gatesCache = resetHiddenCache + hidden;
        final int biasOffset = paramOffset + biasOffset();

        loadStepInputs(input, inputOffset, state, stateOffset, cache, cacheOffset);

        // Update and reset gates read [x; h_prev].
        for (int r = 0; r < 2 * hidden; r++) {
            cache[gatesCache + r] = Kernels.sigmoid(preActivation(params, paramOffset, r, cache, cacheOffset));
        }
        for (int j = 0; j < hidden; j++) {
            cache[resetHiddenCache + j] = cache[gatesCache + RESET_GATE * hidden + j] * cache[prevHiddenCache + j];
        }
        // The candidate reads [x; r * h_prev]: x from the start of the cache, r * h_prev from its own slot.
        for (int j = 0; j < hidden; j++) {
            int r = CANDIDATE_GATE * hidden + j;
            double sum = params[biasOffset + r];
            int row = paramOffset + r * concat;
            sum = Kernels.dot(sum, params, row, cache, cacheOffset, inputSize);
            sum = Kernels.dot(sum, params, row + inputSize, cache, resetHiddenCache, hidden);
            cache[gatesCache + r] = Kernels.tanh(sum);
        }

        for (int j = 0; j < hidden; j++) {
            double update = cache[gatesCache + UPDATE_GATE * hidden + j];
            double candidate = cache[gatesCache + CANDIDATE_GATE * hidden + j];
            state[stateOffset + j] = (1.0 - update) * candidate + update * cache[prevHiddenCache + j];
        }
    }

    @Override
    public void backward(double[] params, int paramOffset, double[] cache, int cacheOffset,
                         double[] stateGradient, int stateGradientOffset,
                         double[] inputGradient, int inputGradientOffset,
                         double[] paramGradient, int paramGradientOffset, double[] scratch, int scratchOffset) {
        final int hidden = hiddenSize;
        final int concat = concatSize;
        final int prevHiddenCache = cacheOffset + inputSize;
        final int resetHiddenCache = cacheOffset + concat;
        final int gatesCache = resetHiddenCache + hidden;
        final int preActivationGradient = scratchOffset;
        final int resetHiddenGradient = scratchOffset + GATES * hidden;
        final int biasGradient = paramGradientOffset + biasOffset();

        // dh_prev starts with the direct path through z * h_prev; the gate paths are added below.
        for (int j = 0; j < hidden; j++) {
            double hiddenGrad = stateGradient[stateGradientOffset + j];
            double update = cache[gatesCache + UPDATE_GATE * hidden + j];
            double candidate = cache[gatesCache + CANDIDATE_GATE * hidden + j];
            double prevHidden = cache[prevHiddenCache + j];
            scratch[preActivationGradient + UPDATE_GATE * hidden + j] =
                    Kernels.sigmoidGradient(hiddenGrad * (prevHidden - candidate), update);
            scratch[preActivationGradient + CANDIDATE_GATE * hidden + j] =
                    Kernels.tanhGradient(hiddenGrad * (1.0 - update), candidate);
            stateGradient[stateGradientOffset + j] = hiddenGrad * update;
        }

        // Candidate rows: their inputs were [x; r * h_prev], so U_n^T dz_n is the gradient of r * h_prev.
        Arrays.fill(inputGradient, inputGradientOffset, inputGradientOffset + inputSize, 0.0);
        Arrays.fill(scratch, resetHiddenGradient, resetHiddenGradient + hidden, 0.0);
        for (int j = 0; j < hidden; j++) {
            int r = CANDIDATE_GATE * hidden + j;
            double dz = scratch[preActivationGradient + r];
            paramGradient[biasGradient + r] += dz;
            int row = r * concat;
            for (int k = 0; k < inputSize; k++) {
                paramGradient[paramGradientOffset + row + k] += dz * cache[cacheOffset + k];
                inputGradient[inputGradientOffset + k] += dz * params[paramOffset + row + k];
            }
            for (int k = 0; k < hidden; k++) {
                paramGradient[paramGradientOffset + row + inputSize + k] += dz * cache[resetHiddenCache + k];
                scratch[resetHiddenGradient + k] += dz * params[paramOffset + row + inputSize + k];
            }
        }
        for (int j = 0; j < hidden; j++) {
            double reset = cache[gatesCache + RESET_GATE * hidden + j];
            double resetHiddenGrad = scratch[resetHiddenGradient + j];
            scratch[preActivationGradient + RESET_GATE * hidden + j] =
                    Kernels.sigmoidGradient(resetHiddenGrad * cache[prevHiddenCache + j], reset);
            stateGradient[stateGradientOffset + j] += resetHiddenGrad * reset;
        }

        // Update and reset rows read [x; h_prev]: add their W^T dz to the input gradient and dh_prev.
        accumulateRows(0, 2 * hidden, params, paramOffset, cache, cacheOffset, scratch, preActivationGradient,
                paramGradient, paramGradientOffset, inputGradient, inputGradientOffset, stateGradient, stateGradientOffset);
    }
}
