package io.seismo.nn;

import java.util.Objects;

/**
 * Shape of a network: cell, inputs per step, hidden units per layer, stacked layers (1..3), with a linear head
 * producing one output.
 *
 * <p>Layer 0 reads {@code inputSize} values per step; every later layer reads the hidden output of the layer
 * below. The head reads the hidden output of the top layer.
 */
public record NetworkShape(CellType cell, int inputSize, int hiddenSize, int layers) {

    public static final int MAX_HIDDEN_SIZE = 1024;
    public static final int MAX_LAYERS = 3;

    public NetworkShape {
        Objects.requireNonNull(cell, "cell type must not be null");
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1 but was " + inputSize);
        }
        if (hiddenSize < 1 || hiddenSize > MAX_HIDDEN_SIZE) {
            throw new IllegalArgumentException(
                    "hiddenSize must be between 1 and " + MAX_HIDDEN_SIZE + " but was " + hiddenSize);
        }
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("layers must be between 1 and " + MAX_LAYERS + " but was " + layers);
        }
        long total = countParameters(cell, inputSize, hiddenSize, layers);
        // Parameters live in one flat array, so the count must fit an array length.
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Network with inputSize " + inputSize + ", hiddenSize " + hiddenSize
                    + " and " + layers + " layers would need " + total + " parameters, more than an array can hold");
        }
    }

    /** All cell parameters of all layers plus the head ({@code hiddenSize} weights and one bias). */
    public int parameterCount() {
        return (int) countParameters(cell, inputSize, hiddenSize, layers);
    }

    /** Doubles of recurrent state per series: the layers' states one after another (LSTM: h then c per layer). */
    public int stateSize() {
        return layers * cell.stateSize(hiddenSize);
    }

    /** Input size of the given layer: {@code inputSize} for layer 0, {@code hiddenSize} above. */
    int layerInputSize(int layer) {
        return layer == 0 ? inputSize : hiddenSize;
    }

    private static long countParameters(CellType cell, int inputSize, int hiddenSize, int layers) {
        long total = cell.parameterCount(inputSize, hiddenSize);
        total += (layers - 1) * cell.parameterCount(hiddenSize, hiddenSize);
        return total + hiddenSize + 1L;
    }
}
