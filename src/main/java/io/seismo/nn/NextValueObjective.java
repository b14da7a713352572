package io.seismo.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Mean squared next-value error over windows of multi-input sequences, and its exact gradient by
 * back-propagation through time.
 *
 * <p>A window of {@code steps} steps gives {@code steps} predictions: step t reads the input vector
 * {@code inputs[(w * steps + t) * inputSize ..)} and predicts {@code targets[w * steps + t]}. Every window starts
 * from a zero recurrent state. The loss is the mean of the squared errors over all predictions of all windows.
 *
 * <p>Dropout (Zaremba et al. 2014): when masks are given, the hidden output h of layer l at step t is multiplied
 * element-wise by its mask before it is fed upward (to layer l + 1, or to the head for the top layer); the
 * recurrent connection (layer l's own state) is never masked. Mask layout: for window w, step t, layer l, unit j,
 * {@code masks[((w * steps + t) * layers + l) * hiddenSize + j]}; inverted dropout masks hold 0 or
 * {@code 1 / (1 - dropout)}. A null mask array means no dropout.
 */
final class NextValueObjective {

    private NextValueObjective() {
    }

    /**
     * Loss and full analytic gradient for a batch of windows, without dropout.
     *
     * @param params read only, the flat parameters of {@code shape}
     * @param inputs read only, {@code windowCount * steps * inputSize} values
     * @param targets read only, {@code windowCount * steps} values
     * @param gradOut overwritten with dLoss/dparams; length {@code shape.parameterCount()}
     * @param workspace overwritten; built for {@code shape} and at least {@code steps}
     * @return the mean squared error
     */
    static double lossAndGradient(NetworkShape shape, double[] params, double[] inputs, double[] targets,
                                  int windowCount, int steps, double[] gradOut, Workspace workspace) {
        return lossAndGradient(shape, params, inputs, targets, windowCount, steps, null, gradOut, workspace);
    }

    /**
     * Loss and gradient with the given dropout masks (fixed, so that the objective is a deterministic function of
     * the parameters: the trainer draws them, tests pass their own).
     *
     * @param masks read only, null for no dropout, else at least {@link #maskSize} values in the class's layout
     * @param gradOut overwritten with dLoss/dparams
     * @param workspace overwritten
     */
    static double lossAndGradient(NetworkShape shape, double[] params, double[] inputs, double[] targets,
                                  int windowCount, int steps, double[] masks, double[] gradOut,
                                  Workspace workspace) {
        check(shape, params, inputs, targets, windowCount, steps, masks, workspace);
        if (gradOut.length != params.length) {
            throw new IllegalArgumentException("gradOut has length " + gradOut.length + " but " + shape
                    + " needs " + params.length);
        }
        Arrays.fill(gradOut, 0.0);
        double predictionCount = (double) windowCount * steps;
        double sumSquares = accumulate(params, inputs, targets, 0, windowCount, steps, masks,
                2.0 / predictionCount, gradOut, workspace);
        return sumSquares / predictionCount;
    }

    /**
     * Loss only (the forward half of {@link #lossAndGradient}), without dropout.
     *
     * @param workspace overwritten
     */
    static double loss(NetworkShape shape, double[] params, double[] inputs, double[] targets, int windowCount,
                       int steps, Workspace workspace) {
        return loss(shape, params, inputs, targets, windowCount, steps, null, workspace);
    }

    /**
     * Loss only with the given dropout masks.
     *
     * @param masks read only, null for no dropout
     * @param workspace overwritten
     */
    static double loss(NetworkShape shape, double[] params, double[] inputs, double[] targets, int windowCount,
                       int steps, double[] masks, Workspace workspace) {
        check(shape, params, inputs, targets, windowCount, steps, masks, workspace);
        double sumSquares = 0.0;
        for (int w = 0; w < windowCount; w++) {
            sumSquares += forwardWindow(params, inputs, targets, w, steps, masks, workspace);
        }
        return sumSquares / ((double) windowCount * steps);
    }

    /**
     * Adds the gradient of windows {@code [firstWindow, firstWindow + windowCount)} to {@code grad}, each squared
     * error weighted by {@code errorScale}, and returns their sum of squared errors. Unchecked: callers validate
     * the arguments as {@link #lossAndGradient} does. Mask positions are those of the absolute window index.
     *
     * @param grad modified: the windows' gradient is added
     * @param workspace overwritten
     */
    static double accumulate(double[] params, double[] inputs, double[] targets, int firstWindow, int windowCount,
                             int steps, double[] masks, double errorScale, double[] grad, Workspace workspace) {
        double sumSquares = 0.0;
        for (int w = firstWindow; w < firstWindow + windowCount; w++) {
            sumSquares += forwardWindow(params, inputs, targets, w, steps, masks, workspace);
            backwardWindow(params, targets, w, steps, masks, errorScale, grad, workspace);
        }
        return sumSquares;
    }

    /** Doubles of dropout mask a batch of {@code windowCount} windows of {@code steps} steps needs. */
    static int maskSize(NetworkShape shape, int windowCount, int steps) {
        return Math.multiplyExact(Math.multiplyExact(windowCount, steps),
                shape.layers() * shape.hiddenSize());
    }

    /**
     * Draws inverted dropout masks: each value is 0 with probability {@code dropout}, else
     * {@code 1 / (1 - dropout)}; one {@code random.nextDouble()} per value, in array order.
     *
     * @param masks overwritten: {@code masks[0 .. length)}
     * @param random advanced by {@code length} draws
     */
    static void drawMasks(double dropout, SplittableRandom random, double[] masks, int length) {
        double kept = 1.0 / (1.0 - dropout);
        for (int k = 0; k < length; k++) {
            masks[k] = random.nextDouble() < dropout ? 0.0 : kept;
        }
    }

    /** Runs window {@code w} from a zero state, filling the caches and predictions; returns its sum of squares. */
    private static double forwardWindow(double[] params, double[] inputs, double[] targets, int w, int steps,
                                        double[] masks, Workspace ws) {
        LayerStack stack = ws.stack;
        RecurrentCell[] cells = stack.cells;
        int hidden = stack.shape.hiddenSize();
        int inputSize = stack.shape.inputSize();
        Arrays.fill(ws.state, 0.0);
        double sumSquares = 0.0;
        for (int t = 0; t < steps; t++) {
            int step = w * steps + t;
            int stepCache = t * stack.cacheSizePerStep;
            double[] layerInput = inputs;
            int layerInputOffset = step * inputSize;
            for (int layer = 0; layer < cells.length; layer++) {
                cells[layer].forward(params, stack.parameterOffsets[layer], layerInput, layerInputOffset,
                        ws.state, stack.stateOffsets[layer], ws.cache, stepCache + stack.cacheOffsetsInStep[layer]);
                if (masks == null) {
                    layerInput = ws.state;
                    layerInputOffset = stack.stateOffsets[layer];
                } else {
                    int mask = (step * cells.length + layer) * hidden;
                    int h = stack.stateOffsets[layer];
                    for (int j = 0; j < hidden; j++) {
                        ws.droppedHidden[j] = ws.state[h + j] * masks[mask + j];
                    }
                    layerInput = ws.droppedHidden;
                    layerInputOffset = 0;
                }
            }
            System.arraycopy(layerInput, layerInputOffset, ws.topHidden, t * hidden, hidden);
            double prediction = stack.head(params, ws.topHidden, t * hidden);
            ws.predictions[t] = prediction;
            double error = prediction - targets[step];
            sumSquares += error * error;
        }
        return sumSquares;
    }

    /** Adds window {@code w}'s gradient to {@code grad}; {@code errorScale} is dLoss/d(error^2). */
    private static void backwardWindow(double[] params, double[] targets, int w, int steps, double[] masks,
                                       double errorScale, double[] grad, Workspace ws) {
        LayerStack stack = ws.stack;
        RecurrentCell[] cells = stack.cells;
        int hidden = stack.shape.hiddenSize();
        int top = cells.length - 1;
        Arrays.fill(ws.stateGradient, 0.0);
        for (int t = steps - 1; t >= 0; t--) {
            int step = w * steps + t;
            int stepMasks = step * cells.length * hidden;
            double outputGradient = errorScale * (ws.predictions[t] - targets[step]);
            grad[stack.headBiasOffset] += outputGradient;
            int topGradient = stack.stateOffsets[top];
            for (int j = 0; j < hidden; j++) {
                grad[stack.headWeightsOffset + j] += outputGradient * ws.topHidden[t * hidden + j];
                double toHidden = outputGradient * params[stack.headWeightsOffset + j];
                ws.stateGradient[topGradient + j] += masks == null
                        ? toHidden : toHidden * masks[stepMasks + top * hidden + j];
            }
            for (int layer = top; layer >= 0; layer--) {
                cells[layer].backward(params, stack.parameterOffsets[layer],
                        ws.cache, t * stack.cacheSizePerStep + stack.cacheOffsetsInStep[layer],
                        ws.stateGradient, stack.stateOffsets[layer], ws.inputGradient, 0,
                        grad, stack.parameterOffsets[layer], ws.backwardScratch, 0);
                if (layer > 0) {
                    // The layer's input at step t was the (dropped-out) h of the layer below at step t.
                    int below = stack.stateOffsets[layer - 1];
                    int belowMask = stepMasks + (layer - 1) * hidden;
                    for (int j = 0; j < hidden; j++) {
                        ws.stateGradient[below + j] += masks == null
                                ? ws.inputGradient[j] : ws.inputGradient[j] * masks[belowMask + j];
                    }
                }
            }
        }
    }

    private static void check(NetworkShape shape, double[] params, double[] inputs, double[] targets,
                              int windowCount, int steps, double[] masks, Workspace workspace) {
        if (!workspace.stack.shape.equals(shape)) {
            throw new IllegalArgumentException(
                    "workspace was built for " + workspace.stack.shape + " but is used with " + shape);
        }
        if (params.length != shape.parameterCount()) {
            throw new IllegalArgumentException("parameters has length " + params.length + " but " + shape
                    + " needs " + shape.parameterCount());
        }
        if (steps < 1 || steps > workspace.maxSteps) {
            throw new IllegalArgumentException("steps must be between 1 and the workspace's "
                    + workspace.maxSteps + " but was " + steps);
        }
        if (windowCount < 1) {
            throw new IllegalArgumentException("windowCount must be at least 1 but was " + windowCount);
        }
        long predictions = (long) windowCount * steps;
        if (predictions > targets.length) {
            throw new IllegalArgumentException(windowCount + " windows of " + steps + " steps need " + predictions
                    + " targets but targets has " + targets.length);
        }
        if (predictions * shape.inputSize() > inputs.length) {
            throw new IllegalArgumentException(windowCount + " windows of " + steps + " steps with inputSize "
                    + shape.inputSize() + " need " + predictions * shape.inputSize() + " inputs but inputs has "
                    + inputs.length);
        }
        if (masks != null && predictions * shape.layers() * shape.hiddenSize() > masks.length) {
            throw new IllegalArgumentException(windowCount + " windows of " + steps + " steps need "
                    + predictions * shape.layers() * shape.hiddenSize() + " mask values but masks has "
                    + masks.length);
        }
    }
}
