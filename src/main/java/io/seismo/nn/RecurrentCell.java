package io.seismo.nn;

import java.util.SplittableRandom;

/**
 * One layer's recurrent kernel: a stateless function {@code s[t] = f(s[t-1], x[t]; params)} over flat arrays.
 *
 * <p>Every array argument comes with an offset so that the layers of a stack can share one parameter array,
 * one state array and one cache array. The first {@code hiddenSize} doubles of a layer's state are always its
 * hidden output {@code h}, which is what the next layer and the head read; the remainder is cell-specific.
 * Implementations hold only their shape and must not allocate in {@link #forward} or {@link #backward}.
 */
interface RecurrentCell {

    int inputSize();

    int hiddenSize();

    /** Parameters of this layer in its documented flat layout. */
    int parameterCount();

    /** Doubles of state this layer keeps; the first {@code hiddenSize} are h. */
    int stateSize();

    /** Doubles one step records for {@link #backward}; inference passes scratch of this size instead. */
    int cacheSize();

    /** Doubles of scratch {@link #backward} needs. */
    int backwardScratchSize();

    /**
     * Writes initial parameters for this layer.
     *
     * @param params modified: {@code params[offset .. offset + parameterCount())} is overwritten
     * @param random advanced
     */
    void initialise(double[] params, int offset, SplittableRandom random);

    /**
     * Advances this layer's state one step.
     *
     * @param params read only
     * @param input read only, {@code inputSize} values from {@code inputOffset}; may be another layer's state
     *     region of {@code state}, but never this layer's
     * @param state modified in place: this layer's {@code stateSize} values from {@code stateOffset}
     * @param cache overwritten: {@code cacheSize} values from {@code cacheOffset} recording this step
     */
    void forward(double[] params, int paramOffset, double[] input, int inputOffset,
                 double[] state, int stateOffset, double[] cache, int cacheOffset);

    /**
     * Back-propagates one step recorded by {@link #forward}.
     *
     * @param params read only
     * @param cache read only, as written by the matching {@link #forward}
     * @param stateGradient modified in place: holds dLoss/ds[t] on entry and dLoss/ds[t-1] on return
     * @param inputGradient overwritten: dLoss/dx[t], {@code inputSize} values
     * @param paramGradient modified: this step's dLoss/dparams is added
     * @param scratch overwritten: {@code backwardScratchSize} values
     */
    void backward(double[] params, int paramOffset, double[] cache, int cacheOffset,
                  double[] stateGradient, int stateGradientOffset, double[] inputGradient, int inputGradientOffset,
                  double[] paramGradient, int paramGradientOffset, double[] scratch, int scratchOffset);
}
