package io.seismo.nn;

/**
 * Progress callback of {@link Trainer#train} and {@link Trainer#trainSequences}, called on the thread that called
 * the trainer (never on a parallel-mode worker).
 */
@FunctionalInterface
public interface TrainingListener {

    /** Ignores progress. */
    TrainingListener NONE = (epoch, maxEpochs, trainLoss, validationLoss) -> { };

    /**
     * @param epoch 1-based number of the finished epoch
     * @param trainLoss mean of the epoch's batch losses (weights moving during the epoch)
     * @param validationLoss validation loss after the epoch
     */
    void epochEnded(int epoch, int maxEpochs, double trainLoss, double validationLoss);
}
