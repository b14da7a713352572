package io.seismo.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains networks as next-value predictors of scaled series, from value-only sequences or from
 * {@link Sequence}s with extra inputs per step.
 *
 * <p>Reproducibility: with {@code threads} 1 a run is bit-for-bit reproducible for the same start, data and
 * config (and gives the same bits as this trainer did before parallel mode existed). With {@code threads} of 2 or
 * more, each batch of n windows is cut into {@code s = min(n, }{@link TrainingConfig#MAX_THREADS}{@code )} fixed
 * contiguous shards (shard k holds windows {@code [k * n / s, (k + 1) * n / s)} of the batch), each shard's
 * gradient is accumulated into its own buffer on the thread pool, and the shard gradients and losses are added in
 * shard order on the calling thread. The cut depends only on n, never on the thread count, so a parallel run is
 * bit-for-bit reproducible and gives the same bits for every thread count from 2 to
 * {@link TrainingConfig#MAX_THREADS}. It differs from the single-threaded run only in the order of floating-point
 * additions within each batch gradient: the trajectories differ by rounding only, which over a long run (or via a
 * different early-stopping epoch) can still grow into visibly different weights. Shuffling and dropout masks are
 * drawn on the calling thread from the run's seeded generator in the same order whatever the thread count;
 * validation and the reported losses are computed on the calling thread.
 */
public final class Trainer {

    private Trainer() {
    }

    /**
     * Trains (warm-starting from `start`'s weights, never modifying `start`) a next-value predictor on sequences of
     * scaled values (inputSize must be 1): input x[t], target x[t+1]. Each sequence is cut into windows of
     * `window`+1 values; every window starts from a zero recurrent state (this matches how the detector re-warms a
     * series from its stored recent window). Otherwise as {@link #trainSequences}.
     *
     * @param sequences read only
     * @throws IllegalArgumentException if inputSize is not 1, a value is not finite, or no sequence is long enough
     *     for one window
     */
    public static TrainingResult train(Network start, List<double[]> sequences, TrainingConfig config,
                                       TrainingListener listener) {
        Objects.requireNonNull(start, "start must not be null");
        requireScalarInput(start.shape());
        return trainSequences(start, valueSequences(sequences), config, listener);
    }

    /**
     * Trains (warm-starting from `start`'s weights, never modifying `start`) a next-value predictor on sequences
     * whose steps carry {@code start}'s inputSize inputs each: step t reads its input vector and predicts its
     * target (the scaled value at t + 1). Each sequence is cut into windows of `window` steps; every window starts
     * from a zero recurrent state. The last validationFraction of each sequence's windows is held out for
     * validation; mini-batches of windows in seeded shuffled order; truncated BPTT through each window; mean
     * squared error; Adam (beta1 .9, beta2 .999, eps 1e-8) at the schedule's learning rate for the epoch; dropout
     * on the hidden outputs fed upward, with masks drawn from the seeded generator (training only; validation and
     * the returned losses use no dropout); gradient clipping by global norm; early stopping when validation loss
     * has not improved for `patience` epochs, returning the best weights. naiveLoss = MSE of the last-value
     * forecaster (predict input 0 of the step, the current value) on the same validation targets. See the class
     * comment for reproducibility.
     *
     * <p>The starting weights count as a candidate, so the result is never worse on validation than {@code start}.
     * If the sequences are too short to hold out any window, validation uses the training windows.
     *
     * @param sequences read only
     * @throws IllegalArgumentException if a sequence's inputSize differs from the network's or no sequence is long
     *     enough for one window
     */
    public static TrainingResult trainSequences(Network start, List<Sequence> sequences, TrainingConfig config,
                                                TrainingListener listener) {
        Objects.requireNonNull(start, "start must not be null");
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        NetworkShape shape = start.shape();
        int steps = config.window();
        WindowSplit split = WindowSplit.of(sequences, steps, config.validationFraction(), shape.inputSize());
        if (split.trainingCount == 0) {
            throw new IllegalArgumentException("no sequence holds a window of " + steps + " steps (" + (steps + 1)
                    + " values: window " + steps + " + 1)");
        }
        boolean heldOut = split.validationCount > 0;
        double[] validationInputs = heldOut ? split.validationInputs : split.trainingInputs;
        double[] validationTargets = heldOut ? split.validationTargets : split.trainingTargets;
        int validationCount = heldOut ? split.validationCount : split.trainingCount;
        int inputSize = shape.inputSize();
        int windowInputs = steps * inputSize;

        Workspace workspace = new Workspace(shape, steps);
        double[] params = start.parameters();
        double[] gradient = new double[params.length];
        int batchCapacity = Math.min(config.batchSize(), split.trainingCount);
        double[] batchInputs = new double[Math.multiplyExact(batchCapacity, windowInputs)];
        double[] batchTargets = new double[Math.multiplyExact(batchCapacity, steps)];
        double[] masks = config.dropout() > 0
                ? new double[NextValueObjective.maskSize(shape, batchCapacity, steps)] : null;
        int[] order = new int[split.trainingCount];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        Adam adam = new Adam(params.length, config.learningRate());

        double[] bestParams = params.clone();
        double bestValidation = NextValueObjective.loss(shape, params, validationInputs, validationTargets,
                validationCount, steps, workspace);
        int epochsWithoutImprovement = 0;
        int epoch = 0;
        try (ShardedGradient sharded = config.threads() > 1
                ? new ShardedGradient(shape, steps, config.threads(), batchCapacity) : null) {
            while (epoch < config.maxEpochs() && epochsWithoutImprovement < config.patience()) {
                epoch++;
                double learningRate = config.schedule().rate(config.learningRate(), epoch, config.maxEpochs());
                shuffle(order, random);
                double weightedLoss = 0.0;
                for (int first = 0; first < order.length; first += config.batchSize()) {
                    int count = Math.min(config.batchSize(), order.length - first);
                    for (int b = 0; b < count; b++) {
                        int window = order[first + b];
                        System.arraycopy(split.trainingInputs, window * windowInputs, batchInputs, b * windowInputs,
                                windowInputs);
                        System.arraycopy(split.trainingTargets, window * steps, batchTargets, b * steps, steps);
                    }
                    if (masks != null) {
                        NextValueObjective.drawMasks(config.dropout(), random, masks,
                                NextValueObjective.maskSize(shape, count, steps));
                    }
                    double batchLoss = sharded == null
                            ? NextValueObjective.lossAndGradient(shape, params, batchInputs, batchTargets, count,
                                    steps, masks, gradient, workspace)
                            : sharded.lossAndGradient(params, batchInputs, batchTargets, count, masks, gradient);
                    GradientClipping.clipByGlobalNorm(gradient, config.clipNorm());
                    adam.step(params, gradient, learningRate);
                    weightedLoss += batchLoss * count;
                }
                double validationLoss = NextValueObjective.loss(shape, params, validationInputs, validationTargets,
                        validationCount, steps, workspace);
                if (validationLoss < bestValidation) {
                    bestValidation = validationLoss;
                    System.arraycopy(params, 0, bestParams, 0, params.length);
                    epochsWithoutImprovement = 0;
                } else {
                    epochsWithoutImprovement++;
                }
                listener.epochEnded(epoch, config.maxEpochs(), weightedLoss / order.length, validationLoss);
            }
        }

        double trainLoss = NextValueObjective.loss(shape, bestParams, split.trainingInputs, split.trainingTargets,
                split.trainingCount, steps, workspace);
        double naiveLoss = naiveLoss(validationInputs, validationTargets, validationCount * steps, inputSize);
        return new TrainingResult(Network.fromParameters(shape, bestParams), trainLoss, bestValidation, naiveLoss,
                epoch, adam.steps());
    }

    /**
     * Mean squared next-step error of the network over all windows of value-only sequences (same windowing as
     * {@link #train}).
     *
     * @param sequences read only
     * @throws IllegalArgumentException if inputSize is not 1 or no sequence holds a window
     */
    public static double loss(Network network, List<double[]> sequences, int window) {
        Objects.requireNonNull(network, "network must not be null");
        requireScalarInput(network.shape());
        return sequenceLoss(network, valueSequences(sequences), window);
    }

    /**
     * Mean squared next-step error of the network over all windows of the sequences (same windowing as
     * {@link #trainSequences}), without dropout.
     *
     * @param sequences read only
     * @throws IllegalArgumentException if a sequence's inputSize differs from the network's or no sequence holds a
     *     window
     */
    public static double sequenceLoss(Network network, List<Sequence> sequences, int window) {
        Objects.requireNonNull(network, "network must not be null");
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 but was " + window);
        }
        WindowSplit split = WindowSplit.of(sequences, window, 0.0, network.shape().inputSize());
        if (split.trainingCount == 0) {
            throw new IllegalArgumentException("no sequence holds a window of " + window + " steps (" + (window + 1)
                    + " values)");
        }
        Workspace workspace = new Workspace(network.shape(), window);
        return NextValueObjective.loss(network.shape(), network.parameters(), split.trainingInputs,
                split.trainingTargets, split.trainingCount, window, workspace);
    }

    /** MSE of predicting each target as the step's input 0 (the current value). */
    static double naiveLoss(double[] inputs, double[] targets, int predictions, int inputSize) {
        double sumSquares = 0.0;
        for (int step = 0; step < predictions; step++) {
            double error = targets[step] - inputs[step * inputSize];
            sumSquares += error * error;
        }
        return sumSquares / predictions;
    }

    private static List<Sequence> valueSequences(List<double[]> sequences) {
        if (sequences == null) {
            throw new IllegalArgumentException("sequences must not be null");
        }
        List<Sequence> wrapped = new ArrayList<>(sequences.size());
        for (int s = 0; s < sequences.size(); s++) {
            double[] sequence = sequences.get(s);
            if (sequence == null) {
                throw new IllegalArgumentException("sequence " + s + " is null");
            }
            for (int t = 0; t < sequence.length; t++) {
                if (!Double.isFinite(sequence[t])) {
                    throw new IllegalArgumentException(
                            "sequence " + s + " has a non-finite value at " + t + ": " + sequence[t]);
                }
            }
            wrapped.add(Sequence.ofValues(sequence));
        }
        return wrapped;
    }

    private static void requireScalarInput(NetworkShape shape) {
        if (shape.inputSize() != 1) {
            throw new IllegalArgumentException("value-only training needs inputSize 1 but the network has inputSize "
                    + shape.inputSize() + "; use trainSequences with encoded inputs");
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
