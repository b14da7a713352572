package io.seismo.detect;

import io.seismo.nn.InferenceKernel;
import io.seismo.nn.InputEncoding;
import io.seismo.nn.Network;

/**
 * A network in force with its release version, the inputs it reads and the buffers its steps need. Decoded once per
 * version; not thread-safe (one per processing task). Steps run through the network's single-precision
 * {@link InferenceKernel}, which agrees with {@link Network#step} to within float32 rounding (see its documentation).
 */
public final class ActiveModel {
    private final Network network;
    private final InferenceKernel kernel;
    private final long version;
    private final InputEncoding inputs;
    private final InferenceKernel.Scratch scratch;
    private final double[] input;

    public ActiveModel(Network network, long version) {
        this(network, version, InputEncoding.VALUE_ONLY);
    }

    public ActiveModel(Network network, long version, InputEncoding inputs) {
        if (version <= 0) {
            throw new IllegalArgumentException("model versions start at 1, got " + version);
        }
        if (inputs.inputSize() != network.shape().inputSize()) {
            throw new IllegalArgumentException("inputs " + inputs + " make " + inputs.inputSize() + " values per step but the network reads "
                    + network.shape().inputSize());
        }
        this.network = network;
        this.kernel = InferenceKernel.of(network);
        this.version = version;
        this.inputs = inputs;
        this.scratch = kernel.newScratch();
        this.input = new double[inputs.inputSize()];
    }

    public long version() {
        return version;
    }

    public Network network() {
        return network;
    }

    public InputEncoding inputs() {
        return inputs;
    }

    /** Doubles of recurrent state per series. */
    public int stateSize() {
        return network.shape().stateSize();
    }

    /**
     * Advances {@code state} (modified) with one value-only input and returns the predicted next scaled value.
     * Allocation-free.
     */
    public double step(double[] state, double scaledInput) {
        return kernel.step(state, scaledInput, scratch);
    }

    /**
     * Advances {@code state} (modified) with the reading's encoded inputs and returns the predicted next scaled value.
     * Allocation-free.
     *
     * @param previousTimestamp the previous reading's time, or {@link InputEncoding#NO_PREVIOUS}
     * @param typicalGap        the series' typical time between readings, millis (read only for the gap input)
     */
    public double step(double[] state, double scaledValue, long timestamp, long previousTimestamp, double typicalGap) {
        inputs.encode(scaledValue, timestamp, previousTimestamp, typicalGap > 0 ? typicalGap : 1.0, input);
        return kernel.step(state, input, scratch);
    }
}
