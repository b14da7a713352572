package io.seismo.nn;

/**
 * Reusable buffers for {@link NextValueObjective}: the per-step caches of one window, the head's inputs,
 * predictions, gradient carries and the dropped-out hidden output fed upward. Sized for one shape and a maximum
 * number of steps per window; not thread-safe (parallel training gives each shard its own).
 */
final class Workspace {

    final LayerStack stack;
    final int maxSteps;
    final double[] state;
    final double[] cache;
    /** Per step, the (dropped-out) top hidden output the head read. */
    final double[] topHidden;
    final double[] predictions;
    final double[] stateGradient;
    final double[] inputGradient;
    final double[] backwardScratch;
    /** One layer's hidden output after its dropout mask, as fed to the layer above. */
    final double[] droppedHidden;

    /** @param maxSteps the most predictions per window this workspace will be given */
    Workspace(NetworkShape shape, int maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("a window needs at least 1 step but maxSteps was " + maxSteps);
        }
        this.stack = new LayerStack(shape);
        this.maxSteps = maxSteps;
        state = new double[stack.stateSize];
        cache = new double[Math.multiplyExact(maxSteps, stack.cacheSizePerStep)];
        topHidden = new double[Math.multiplyExact(maxSteps, shape.hiddenSize())];
        predictions = new double[maxSteps];
        stateGradient = new double[stack.stateSize];
        inputGradient = new double[Math.max(shape.inputSize(), shape.hiddenSize())];
        backwardScratch = new double[stack.maxBackwardScratchSize];
        droppedHidden = new double[shape.hiddenSize()];
    }
}
