package io.seismo.detect;

import io.seismo.nn.Network;

/**
 * A network in force with its release version and the scratch space its steps need. Decoded once per version;
 * not thread-safe (one per processing task).
 */
public final class ActiveModel {
    private final Network network;
    private final long version;
    private final double[] scratch;

    public ActiveModel(Network network, long version) {
        if (version <= 0) {
            throw new IllegalArgumentException("model versions start at 1, got " + version);
        }
        this.network = network;
        this.version = version;
        this.scratch = new double[network.scratchSize()];
    }

    public long version() {
        return version;
    }

    public Network network() {
        return network;
    }

    /** Doubles of recurrent state per series. */
    public int stateSize() {
        return network.shape().stateSize();
    }

    /** Advances {@code state} (modified) with one scaled input and returns the predicted next scaled value. */
    public double step(double[] state, double scaledInput) {
        return network.step(state, scaledInput, scratch);
    }
}
