package io.seismo.nn;

/**
 * Training hyper-parameters.
 *
 * @param window predictions per training window (a window holds {@code window + 1} values)
 * @param batchSize windows per optimiser step
 * @param maxEpochs upper bound on passes over the training windows
 * @param learningRate Adam step size
 * @param clipNorm maximum global L2 norm of a batch gradient
 * @param validationFraction share of each sequence's windows, taken from its end, held out for validation
 * @param patience epochs without validation improvement before stopping early
 * @param seed seed of the shuffling order
 */
public record TrainingConfig(int window, int batchSize, int maxEpochs, double learningRate, double clipNorm,
                             double validationFraction, int patience, long seed) {

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
    }

    /** Window 32, batch 16, 30 epochs, learning rate 3e-3, clip norm 1, validation 0.2, patience 4, seed 42. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(32, 16, 30, 3e-3, 1.0, 0.2, 4, 42L);
    }

    public TrainingConfig withWindow(int newWindow) {
        return new TrainingConfig(newWindow, batchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                patience, seed);
    }

    public TrainingConfig withMaxEpochs(int newMaxEpochs) {
        return new TrainingConfig(window, batchSize, newMaxEpochs, learningRate, clipNorm, validationFraction,
                patience, seed);
    }

    public TrainingConfig withLearningRate(double newLearningRate) {
        return new TrainingConfig(window, batchSize, maxEpochs, newLearningRate, clipNorm, validationFraction,
                patience, seed);
    }

    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(window, batchSize, maxEpochs, learningRate, clipNorm, validationFraction,
                patience, newSeed);
    }
}
