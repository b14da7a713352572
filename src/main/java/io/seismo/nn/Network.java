package io.seismo.nn;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A stack of recurrent layers with a linear head producing one output per step. Immutable and thread-safe: the
 * recurrent state and scratch are owned by the caller, one state array per series.
 *
 * <p>Flat parameter layout: for each layer in turn, that layer's cell parameters (for {@link CellType#LSTM}:
 * {@code W}, 4H x (I + H) row-major with gate rows in order i, f, g, o and columns {@code [x; h_prev]}, then the
 * bias, 4H values; I is {@code inputSize} for layer 0 and {@code hiddenSize} above); then the head weights
 * (H values, applied to the top layer's h) and the head bias (1 value).
 *
 * <p>State layout: each layer's state in turn (LSTM: h then c, H values each).
 *
 * <p>Inference is deterministic: {@link #step} never applies dropout, whatever {@link TrainingConfig#dropout()} the
 * weights were trained with (inverted dropout needs no rescaling at inference).
 */
public final class Network {

    /** Head weights start this small so that an untrained network predicts close to zero (the scaled mean). */
    private static final double HEAD_INIT_SCALE = 0.1;

    private final NetworkShape shape;
    private final LayerStack stack;
    private final double[] parameters;

    private Network(NetworkShape shape, double[] parameters) {
        this.shape = shape;
        this.stack = new LayerStack(shape);
        this.parameters = parameters;
    }

    /**
     * A freshly initialised network: Glorot-uniform cell weights, LSTM forget-gate bias 1 and other biases 0, small
     * uniform head weights and a zero head bias. Deterministic for a given seed.
     */
    public static Network initialise(NetworkShape shape, long seed) {
        Objects.requireNonNull(shape, "shape must not be null");
        LayerStack stack = new LayerStack(shape);
        double[] params = new double[stack.parameterCount];
        SplittableRandom random = new SplittableRandom(seed);
        for (int layer = 0; layer < stack.cells.length; layer++) {
            stack.cells[layer].initialise(params, stack.parameterOffsets[layer], random);
        }
        int hidden = shape.hiddenSize();
        double headLimit = HEAD_INIT_SCALE * Math.sqrt(6.0 / (hidden + 1));
        for (int j = 0; j < hidden; j++) {
            params[stack.headWeightsOffset + j] = (2.0 * random.nextDouble() - 1.0) * headLimit;
        }
        params[stack.headBiasOffset] = 0.0;
        return new Network(shape, params);
    }

    /**
     * A network with the given parameters in the documented flat layout; the array is copied.
     *
     * @throws IllegalArgumentException if the length does not match {@link NetworkShape#parameterCount()} or a
     *     value is not finite
     */
    public static Network fromParameters(NetworkShape shape, double[] parameters) {
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(parameters, "parameters must not be null");
        int expected = shape.parameterCount();
        if (parameters.length != expected) {
            throw new IllegalArgumentException("parameters has length " + parameters.length + " but " + shape
                    + " needs " + expected);
        }
        for (int k = 0; k < parameters.length; k++) {
            if (!Double.isFinite(parameters[k])) {
                throw new IllegalArgumentException("parameter " + k + " is not finite: " + parameters[k]);
            }
        }
        return new Network(shape, parameters.clone());
    }

    public NetworkShape shape() {
        return shape;
    }

    /** A copy of the parameters in the documented flat layout. */
    public double[] parameters() {
        return parameters.clone();
    }

    /** Doubles of recurrent state per series; see {@link NetworkShape#stateSize()}. */
    public int stateSize() {
        return stack.stateSize;
    }

    /** Doubles of scratch a step needs. */
    public int scratchSize() {
        // The layers run one after another, so they share one cache-sized region; the tail holds a scalar input.
        return stack.maxCacheSize + shape.inputSize();
    }

    /** A zero state, the state of a series that has seen nothing yet. */
    public double[] newState() {
        return new double[stack.stateSize];
    }

    /** A scratch buffer of {@link #scratchSize()} doubles. */
    public double[] newScratch() {
        return new double[scratchSize()];
    }

    /**
     * Advances the recurrent state one step with input (length inputSize) and returns the head's output: the
     * prediction of the next scaled value. Allocation-free.
     *
     * @param state modified in place; length {@link #stateSize()}
     * @param input read only; length {@code inputSize}
     * @param scratch overwritten; length at least {@link #scratchSize()}
     * @throws IllegalArgumentException if an array has the wrong length
     */
    public double step(double[] state, double[] input, double[] scratch) {
        checkState(state);
        checkScratch(scratch);
        if (input == null || input.length != shape.inputSize()) {
            throw new IllegalArgumentException("input has length " + (input == null ? "null" : input.length)
                    + " but the network takes inputSize " + shape.inputSize());
        }
        return stack.forward(parameters, input, 0, state, scratch, 0, true);
    }

    /**
     * Single-input convenience for {@link #step(double[], double[], double[])}; also allocation-free.
     *
     * @param state modified in place; length {@link #stateSize()}
     * @param scratch overwritten; length at least {@link #scratchSize()}
     * @throws IllegalArgumentException if the network's inputSize is not 1 or an array has the wrong length
     */
    public double step(double[] state, double input, double[] scratch) {
        if (shape.inputSize() != 1) {
            throw new IllegalArgumentException(
                    "scalar step needs inputSize 1 but the network takes inputSize " + shape.inputSize());
        }
        checkState(state);
        checkScratch(scratch);
        int inputSlot = stack.maxCacheSize;
        scratch[inputSlot] = input;
        return stack.forward(parameters, scratch, inputSlot, state, scratch, 0, true);
    }

    private void checkState(double[] state) {
        if (state == null || state.length != stack.stateSize) {
            throw new IllegalArgumentException("state has length " + (state == null ? "null" : state.length)
                    + " but " + shape + " needs stateSize " + stack.stateSize);
        }
    }

    private void checkScratch(double[] scratch) {
        if (scratch == null || scratch.length < scratchSize()) {
            throw new IllegalArgumentException("scratch has length " + (scratch == null ? "null" : scratch.length)
                    + " but the network needs at least scratchSize " + scratchSize());
        }
    }

    @Override
    public String toString() {
        return "Network[" + shape + "]";
    }
}
