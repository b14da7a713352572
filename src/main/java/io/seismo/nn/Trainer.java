package io.seismo.nn;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/** Trains networks as next-value predictors of scaled scalar series. Single-threaded and deterministic. */
public final class Trainer {

    private Trainer() {
    }

    /**
     * Trains (warm-starting from `start`'s weights, never modifying `start`) a next-value predictor on sequences of
     * scaled values (inputSize must be 1): input x[t], target x[t+1]. Each sequence is cut into windows of
     * `window`+1 values; every window starts from a zero recurrent state (this matches how the detector re-warms a
     * series from its stored recent window). The last validationFraction of each sequence's windows is held out
     * for validation; mini-batches of windows in seeded shuffled order; truncated BPTT through each window; mean
     * squared error; Adam (beta1 .9, beta2 .999, eps 1e-8); gradient clipping by global norm; early stopping when
     * validation loss has not improved for `patience` epochs, returning the best weights.
     * naiveLoss = MSE of the last-value forecaster (predict x[t]) on the same validation targets. Bit-for-bit
     * reproducible for the same seed and data (single-threaded).
     *
     * <p>The starting weights count as a candidate, so the result is never worse on validation than {@code start}.
     * If the sequences are too short to hold out any window, validation uses the training windows.
     *
     * @param sequences read only
     * @throws IllegalArgumentException if inputSize is not 1, a value is not finite, or no sequence is long enough
     *     for one window
     */
    public static TrainingResult train(Network start, List<double[]> sequences, TrainingConfig config,
                                       TrainingListener listener) {
        Objects.requireNonNull(start, "start must not be null");
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        NetworkShape shape = start.shape();
        requireScalarInput(shape);
        WindowSplit split = WindowSplit.of(sequences, config.window(), config.validationFraction());
        if (split.trainingCount == 0) {
            throw new IllegalArgumentException("no sequence holds a window of " + split.windowLength
                    + " values (window " + config.window() + " + 1)");
        }
        double[] validation = split.validationCount > 0 ? split.validation : split.training;
        int validationCount = split.validationCount > 0 ? split.validationCount : split.trainingCount;
        int windowLength = split.windowLength;

        Workspace workspace = new Workspace(shape, windowLength);
        double[] params = start.parameters();
        double[] gradient = new double[params.length];
        double[] batch = new double[Math.multiplyExact(config.batchSize(), windowLength)];
        int[] order = new int[split.trainingCount];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        Adam adam = new Adam(params.length, config.learningRate());

        double[] bestParams = params.clone();
        double bestValidation = NextValueObjective.loss(shape, params, validation, validationCount, windowLength,
                workspace);
        int epochsWithoutImprovement = 0;
        int epoch = 0;
        while (epoch < config.maxEpochs() && epochsWithoutImprovement < config.patience()) {
            epoch++;
            shuffle(order, random);
            double weightedLoss = 0.0;
            for (int first = 0; first < order.length; first += config.batchSize()) {
                int count = Math.min(config.batchSize(), order.length - first);
                for (int b = 0; b < count; b++) {
                    System.arraycopy(split.training, order[first + b] * windowLength, batch, b * windowLength,
                            windowLength);
                }
                double batchLoss = NextValueObjective.lossAndGradient(shape, params, batch, count, windowLength,
                        gradient, workspace);
                GradientClipping.clipByGlobalNorm(gradient, config.clipNorm());
                adam.step(params, gradient);
                weightedLoss += batchLoss * count;
            }
            double validationLoss = NextValueObjective.loss(shape, params, validation, validationCount,
                    windowLength, workspace);
            if (validationLoss < bestValidation) {
                bestValidation = validationLoss;
                System.arraycopy(params, 0, bestParams, 0, params.length);
                epochsWithoutImprovement = 0;
            } else {
                epochsWithoutImprovement++;
            }
            listener.epochEnded(epoch, config.maxEpochs(), weightedLoss / order.length, validationLoss);
        }

        double trainLoss = NextValueObjective.loss(shape, bestParams, split.training, split.trainingCount,
                windowLength, workspace);
        double naiveLoss = naiveLoss(validation, validationCount, windowLength);
        return new TrainingResult(Network.fromParameters(shape, bestParams), trainLoss, bestValidation, naiveLoss,
                epoch, adam.steps());
    }

    /**
     * Mean squared next-step error of the network over all windows of the sequences (same windowing as train).
     *
     * @param sequences read only
     * @throws IllegalArgumentException if inputSize is not 1 or no sequence holds a window
     */
    public static double loss(Network network, List<double[]> sequences, int window) {
        Objects.requireNonNull(network, "network must not be null");
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 but was " + window);
        }
        requireScalarInput(network.shape());
        WindowSplit split = WindowSplit.of(sequences, window, 0.0);
        if (split.trainingCount == 0) {
            throw new IllegalArgumentException("no sequence holds a window of " + split.windowLength + " values");
        }
        Workspace workspace = new Workspace(network.shape(), split.windowLength);
        return NextValueObjective.loss(network.shape(), network.parameters(), split.training, split.trainingCount,
                split.windowLength, workspace);
    }

    /** MSE of predicting x[t+1] as x[t] over the windows' targets. */
    static double naiveLoss(double[] windows, int windowCount, int windowLength) {
        double sumSquares = 0.0;
        for (int w = 0; w < windowCount; w++) {
            int base = w * windowLength;
            for (int t = 0; t + 1 < windowLength; t++) {
                double error = windows[base + t + 1] - windows[base + t];
                sumSquares += error * error;
            }
        }
        return sumSquares / ((double) windowCount * (windowLength - 1));
    }

    private static void requireScalarInput(NetworkShape shape) {
        if (shape.inputSize() != 1) {
            throw new IllegalArgumentException(
                    "next-value training needs inputSize 1 but the network has inputSize " + shape.inputSize());
        }
    }

    /** Fisher-Yates, so the order depends only on the seed and the number of windows. */
    private static void shuffle(int[] order, SplittableRandom random) {
        for (int k = order.length - 1; k > 0; k--) {
            int other = random.nextInt(k + 1);
            int swap = order[k];
            order[k] = order[other];
            order[other] = swap;
        }
    }
}
