package io.seismo.nn;

import java.util.Objects;

/**
 * Training hyper-parameters.
 *
 * @param window predictions per training window (a value-only window holds {@code window + 1} values)
 * @param batchSize windows per optimiser step
 * @param maxEpochs upper bound on passes over the training windows
 * @param learningRate Adam's base step size, scaled per epoch by {@code schedule}
 * @param clipNorm maximum global L2 norm of a batch gradient
 * @param validationFraction share of each sequence's windows, taken from its end, held out for validation
 * @param patience epochs without validation improvement before stopping early
 * @param seed seed of the shuffling order and of the dropout masks
 * @param dropout probability, in [0, 0.9), of zeroing each hidden output fed upward during training (inverted
 *     dropout, not on recurrent connections; never at inference); 0 disables it
 * @param schedule learning rate per epoch
 * @param threads threads computing each batch's gradient, 1 to {@link #MAX_THREADS}; see {@link Trainer} for what
 *     parallel runs guarantee
 */
public record TrainingConfig(int window, int batchSize, int maxEpochs, double learningRate, double clipNorm,
                             double validationFraction, int patience, long seed, double dropout,
                             LearningRateSchedule schedule, int threads) {

    public static final double MAX_DROPOUT = 0.9;
    /** Most threads a run may use; also the most shards a batch is split into in parallel mode. */
    public static final int MAX_THREADS = 16;

    public TrainingConfig {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 but was " + window);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1 but was " + batchSize);
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("maxEpochs must be at least 1 but was " + maxEpochs);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite but was " + learningRate);
        }
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clipNorm must be positive (infinity disables clipping) but was "
                    + clipNorm);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1) but was " + validationFraction);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1 but was " + patience);
        }
        if (!(dropout >= 0 && dropout < MAX_DROPOUT)) {
            throw new IllegalArgumentException("dropout must be in [0, " + MAX_DROPOUT + ") but was " + dropout);
        }
        Objects.requireNonNull(schedule, "schedule must not be null");
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + " but was "
                    + threads);
        }
    }

    /** No dropout, a constant learning rate and one thread. */
    public TrainingConfig(int window, int batchSize, int maxEpochs, double learningRate, double clipNorm,
                          double validationFraction, int patience, long seed) {
        this(window, batchSize, maxEpochs, learningRate, clipNorm, validationFraction, patience, seed, 0.0,
                LearningRateSchedule.constant(), 1);
    }

    /**
     * Window 32, batch 16, 30 epochs, learning rate 3e-3, clip norm 1, validation 0.2, patience 4, seed 42, no
     * dropout, constant learning rate, one thread.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(32, 16, 30, 3e-3, 1.0, 0.2, 4, 42L);
    }

    public TrainingConfig withWindow(int newWindow) {
        return new TrainingConfig(newWindow, batchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                patience, seed, dropout, schedule, threads);
    }

    public TrainingConfig withBatchSize(int newBatchSize) {
        return new TrainingConfig(window, newBatchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                patience, seed, dropout, schedule, threads);
    }

    public TrainingConfig withMaxEpochs(int newMaxEpochs) {
        return new TrainingConfig(window, batchSize, newMaxEpochs, learningRate, clipNorm, validationFraction,
                patience, seed, dropout, schedule, threads);
    }

    public TrainingConfig withLearningRate(double newLearningRate) {
        return new TrainingConfig(window, batchSize, maxEpochs, newLearningRate, clipNorm, validationFraction,
                patience, seed, dropout, schedule, threads);
    }

    public TrainingConfig withPatience(int newPatience) {
        return new TrainingConfig(window, batchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                newPatience, seed, dropout, schedule, threads);
    }

    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(window, batchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                patience, newSeed, dropout, schedule, threads);
    }

    public TrainingConfig withDropout(double newDropout) {
        return new TrainingConfig(window, batchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                patience, seed, newDropout, schedule, threads);
    }

    public TrainingConfig withSchedule(LearningRateSchedule newSchedule) {
        return new TrainingConfig(window, batchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                patience, seed, dropout, newSchedule, threads);
    }

    public TrainingConfig withThreads(int newThreads) {
        return new TrainingConfig(window, batchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                patience, seed, dropout, schedule, newThreads);
    }
}
