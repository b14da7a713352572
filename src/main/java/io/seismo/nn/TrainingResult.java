package io.seismo.nn;

/**
 * Outcome of {@link Trainer#train} and {@link Trainer#trainSequences}. All losses are computed without dropout.
 *
 * @param network the weights with the best validation loss
 * @param trainLoss mean squared error of {@code network} on the training windows
 * @param validationLoss mean squared error of {@code network} on the validation windows
 * @param naiveLoss mean squared error of predicting the last value (input 0 of each step) on the same validation
 *     targets
 * @param epochs epochs run, including those after the best one
 * @param steps optimiser steps taken
 */
public record TrainingResult(Network network, double trainLoss, double validationLoss, double naiveLoss, int epochs,
                             long steps) {
}
