package io.seismo.nn;

import java.util.Arrays;

/**
 * Mean squared next-value error over windows of a scalar series, and its exact gradient by back-propagation
 * through time.
 *
 * <p>A window of {@code windowLength} values {@code x[0..L-1]} gives {@code L - 1} predictions: input
 * {@code x[t]}, target {@code x[t+1]}. Every window starts from a zero recurrent state. The loss is the mean of
 * the squared errors over all predictions of all windows.
 */
final class NextValueObjective {

    private NextValueObjective() {
    }

    /**
     * Loss and full analytic gradient for a batch of windows.
     *
     * @param params read only, the flat parameters of {@code shape}
     * @param windowsFlat read only; window {@code w} is {@code windowsFlat[w * windowLength .. (w + 1) * windowLength)}
     * @param gradOut overwritten with dLoss/dparams; length {@code shape.parameterCount()}
     * @param workspace overwritten; built for {@code shape} and at least {@code windowLength}
     * @return the mean squared error
     */
    static double lossAndGradient(NetworkShape shape, double[] params, double[] windowsFlat, int windowCount,
                                  int windowLength, double[] gradOut, Workspace workspace) {
        check(shape, params, windowsFlat, windowCount, windowLength, workspace);
        if (gradOut.length != params.length) {
            throw new IllegalArgumentException("gradOut has length " + gradOut.length + " but " + shape
                    + " needs " + params.length);
        }
        Arrays.fill(gradOut, 0.0);
        int steps = windowLength - 1;
        double predictionCount = (double) windowCount * steps;
        double sumSquares = 0.0;
        for (int w = 0; w < windowCount; w++) {
            int base = w * windowLength;
            sumSquares += forwardWindow(params, windowsFlat, base, steps, workspace);
            backwardWindow(params, windowsFlat, base, steps, 2.0 / predictionCount, gradOut, workspace);
        }
        return sumSquares / predictionCount;
    }

    /**
     * Loss only (the forward half of {@link #lossAndGradient}).
     *
     * @param workspace overwritten
     */
    static double loss(NetworkShape shape, double[] params, double[] windowsFlat, int windowCount,
                       int windowLength, Workspace workspace) {
        check(shape, params, windowsFlat, windowCount, windowLength, workspace);
        int steps = windowLength - 1;
        double sumSquares = 0.0;
        for (int w = 0; w < windowCount; w++) {
            sumSquares += forwardWindow(params, windowsFlat, w * windowLength, steps, workspace);
        }
        return sumSquares / ((double) windowCount * steps);
    }

    /** Runs one window from a zero state, filling the caches and predictions; returns its sum of squared errors. */
    private static double forwardWindow(double[] params, double[] windows, int base, int steps, Workspace ws) {
        LayerStack stack = ws.stack;
        int hidden = stack.shape.hiddenSize();
        Arrays.fill(ws.state, 0.0);
        double sumSquares = 0.0;
        for (int t = 0; t < steps; t++) {
            double prediction = stack.forward(params, windows, base + t, ws.state,
                    ws.cache, t * stack.cacheSizePerStep, false);
            System.arraycopy(ws.state, stack.topHiddenOffset, ws.topHidden, t * hidden, hidden);
            ws.predictions[t] = prediction;
            double error = prediction - windows[base + t + 1];
            sumSquares += error * error;
        }
        return sumSquares;
    }

    /** Adds one window's gradient to {@code grad}; {@code errorScale} is dLoss/d(error^2). */
    private static void backwardWindow(double[] params, double[] windows, int base, int steps, double errorScale,
                                       double[] grad, Workspace ws) {
        LayerStack stack = ws.stack;
        int hidden = stack.shape.hiddenSize();
        int top = stack.cells.length - 1;
        Arrays.fill(ws.stateGradient, 0.0);
        for (int t = steps - 1; t >= 0; t--) {
            double outputGradient = errorScale * (ws.predictions[t] - windows[base + t + 1]);
            grad[stack.headBiasOffset] += outputGradient;
            int topGradient = stack.stateOffsets[top];
            for (int j = 0; j < hidden; j++) {
                grad[stack.headWeightsOffset + j] += outputGradient * ws.topHidden[t * hidden + j];
                ws.stateGradient[topGradient + j] += outputGradient * params[stack.headWeightsOffset + j];
            }
            for (int layer = top; layer >= 0; layer--) {
                stack.cells[layer].backward(params, stack.parameterOffsets[layer],
                        ws.cache, t * stack.cacheSizePerStep + stack.cacheOffsetsInStep[layer],
                        ws.stateGradient, stack.stateOffsets[layer], ws.inputGradient, 0,
                        grad, stack.parameterOffsets[layer], ws.backwardScratch, 0);
                if (layer > 0) {
                    // The layer's input at step t was the h of the layer below at step t.
                    int below = stack.stateOffsets[layer - 1];
                    for (int j = 0; j < hidden; j++) {
                        ws.stateGradient[below + j] += ws.inputGradient[j];
                    }
                }
            }
        }
    }

    private static void check(NetworkShape shape, double[] params, double[] windowsFlat, int windowCount,
                              int windowLength, Workspace workspace) {
        if (shape.inputSize() != 1) {
            throw new IllegalArgumentException(
                    "next-value training needs inputSize 1 but the shape has inputSize " + shape.inputSize());
        }
        if (!workspace.stack.shape.equals(shape)) {
            throw new IllegalArgumentException(
                    "workspace was built for " + workspace.stack.shape + " but is used with " + shape);
        }
        if (params.length != shape.parameterCount()) {
            throw new IllegalArgumentException("parameters has length " + params.length + " but " + shape
                    + " needs " + shape.parameterCount());
        }
        if (windowLength < 2 || windowLength > workspace.maxWindowLength) {
            throw new IllegalArgumentException("windowLength must be between 2 and the workspace's "
                    + workspace.maxWindowLength + " but was " + windowLength);
        }
        if (windowCount < 1 || (long) windowCount * windowLength > windowsFlat.length) {
            throw new IllegalArgumentException(windowCount + " windows of length " + windowLength
                    + " need " + (long) windowCount * windowLength + " values but windowsFlat has "
                    + windowsFlat.length);
        }
    }
}
