package io.seismo.nn;

/**
 * The layers of a {@link NetworkShape} with the offsets of each layer's parameters, state and cache in the shared
 * flat arrays, plus the head. Immutable; shared by {@link Network} (inference) and {@link Workspace} (training).
 */
final class LayerStack {

    final NetworkShape shape;
    final RecurrentCell[] cells;
    final int[] parameterOffsets;
    final int[] stateOffsets;
    /** Offset of each layer's cache inside one time step's block of the training cache. */
    final int[] cacheOffsetsInStep;
    final int cacheSizePerStep;
    final int maxCacheSize;
    final int maxBackwardScratchSize;
    final int headWeightsOffset;
    final int headBiasOffset;
    final int topHiddenOffset;
    final int parameterCount;
    final int stateSize;

    LayerStack(NetworkShape shape) {
        this.shape = shape;
        int layers = shape.layers();
        cells = new RecurrentCell[layers];
        parameterOffsets = new int[layers];
        stateOffsets = new int[layers];
        cacheOffsetsInStep = new int[layers];
        int params = 0;
        int state = 0;
        int cache = 0;
        int maxCache = 0;
        int maxBackward = 0;
        for (int layer = 0; layer < layers; layer++) {
            RecurrentCell cell = shape.cell().newCell(shape.layerInputSize(layer), shape.hiddenSize());
            cells[layer] = cell;
            parameterOffsets[layer] = params;
            stateOffsets[layer] = state;
            cacheOffsetsInStep[layer] = cache;
            params += cell.parameterCount();
            state += cell.stateSize();
            cache += cell.cacheSize();
            maxCache = Math.max(maxCache, cell.cacheSize());
            maxBackward = Math.max(maxBackward, cell.backwardScratchSize());
        }
        headWeightsOffset = params;
        headBiasOffset = params + shape.hiddenSize();
        parameterCount = headBiasOffset + 1;
        stateSize = state;
        cacheSizePerStep = cache;
        maxCacheSize = maxCache;
        maxBackwardScratchSize = maxBackward;
        topHiddenOffset = stateOffsets[layers - 1];
        if (parameterCount != shape.parameterCount() || stateSize != shape.stateSize()) {
            throw new AssertionError("cell sizes disagree with NetworkShape for " + shape);
        }
    }

    /**
     * Advances every layer one step and returns the head's output.
     *
     * @param input read only, {@code inputSize} values from {@code inputOffset}
     * @param state modified in place
     * @param cache overwritten: one step's block of {@link #cacheSizePerStep} values from {@code cacheOffset} when
     *     {@code sharedCache} is false; otherwise {@link #maxCacheSize} values reused by every layer
     */
    double forward(double[] params, double[] input, int inputOffset, double[] state,
                   double[] cache, int cacheOffset, boolean sharedCache) {
        double[] layerInput = input;
        int layerInputOffset = inputOffset;
        for (int layer = 0; layer < cells.length; layer++) {
            int layerCache = sharedCache ? cacheOffset : cacheOffset + cacheOffsetsInStep[layer];
            cells[layer].forward(params, parameterOffsets[layer], layerInput, layerInputOffset,
                    state, stateOffsets[layer], cache, layerCache);
            layerInput = state;
            layerInputOffset = stateOffsets[layer];
        }
        return head(params, state, topHiddenOffset);
    }

    double head(double[] params, double[] hidden, int hiddenOffset) {
        double sum = params[headBiasOffset];
        for (int j = 0; j < shape.hiddenSize(); j++) {
            sum += params[headWeightsOffset + j] * hidden[hiddenOffset + j];
        }
        return sum;
    }
}
