package io.seismo.nn;

/**
 * Reusable buffers for {@link NextValueObjective}: the per-step caches of one window, predictions, and gradient
 * carries. Sized for one shape and a maximum window length; not thread-safe.
 */
final class Workspace {

    final LayerStack stack;
    final int maxWindowLength;
    final double[] state;
    final double[] cache;
    final double[] topHidden;
    final double[] predictions;
    final double[] stateGradient;
    final double[] inputGradient;
    final double[] backwardScratch;

    /** @param maxWindowLength the longest window (inputs plus final target) this workspace will be given */
    Workspace(NetworkShape shape, int maxWindowLength) {
        if (maxWindowLength < 2) {
            throw new IllegalArgumentException(
                    "windowLength must be at least 2 (one input and one target) but was " + maxWindowLength);
        }
        this.stack = new LayerStack(shape);
        this.maxWindowLength = maxWindowLength;
        int steps = maxWindowLength - 1;
        state = new double[stack.stateSize];
        cache = new double[Math.multiplyExact(steps, stack.cacheSizePerStep)];
        topHidden = new double[steps * shape.hiddenSize()];
        predictions = new double[steps];
        stateGradient = new double[stack.stateSize];
        inputGradient = new double[Math.max(shape.inputSize(), shape.hiddenSize())];
        backwardScratch = new double[stack.maxBackwardScratchSize];
    }
}
