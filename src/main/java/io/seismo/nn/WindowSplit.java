package io.seismo.nn;

import java.util.List;

/**
 * Sequences cut into windows of {@code window + 1} values and split into training and validation windows.
 *
 * <p>Window k of a sequence covers values {@code [k * window, k * window + window]}, so consecutive windows share
 * one value and every value after the first is a target exactly once. The last {@code validationFraction} of each
 * sequence's windows (rounded, at least one when the sequence has two or more windows and the fraction is
 * positive, never all of them) is held out.
 */
final class WindowSplit {

    final int windowLength;
    final double[] training;
    final int trainingCount;
    final double[] validation;
    final int validationCount;

    private WindowSplit(int windowLength, double[] training, int trainingCount, double[] validation,
                        int validationCount) {
        this.windowLength = windowLength;
        this.training = training;
        this.trainingCount = trainingCount;
        this.validation = validation;
        this.validationCount = validationCount;
    }

    static WindowSplit of(List<double[]> sequences, int window, double validationFraction) {
        if (sequences == null) {
            throw new IllegalArgumentException("sequences must not be null");
        }
        int windowLength = window + 1;
        int trainingCount = 0;
        int validationCount = 0;
        for (int s = 0; s < sequences.size(); s++) {
            double[] sequence = checkedSequence(sequences, s);
            int windows = windowCount(sequence.length, window);
            int held = heldOut(windows, validationFraction);
            trainingCount += windows - held;
            validationCount += held;
        }
        double[] training = new double[Math.multiplyExact(trainingCount, windowLength)];
        double[] validation = new double[Math.multiplyExact(validationCount, windowLength)];
        int trainingAt = 0;
        int validationAt = 0;
        for (double[] sequence : sequences) {
            int windows = windowCount(sequence.length, window);
            int firstHeld = windows - heldOut(windows, validationFraction);
            for (int k = 0; k < windows; k++) {
                if (k < firstHeld) {
                    System.arraycopy(sequence, k * window, training, trainingAt, windowLength);
                    trainingAt += windowLength;
                } else {
                    System.arraycopy(sequence, k * window, validation, validationAt, windowLength);
                    validationAt += windowLength;
                }
            }
        }
        return new WindowSplit(windowLength, training, trainingCount, validation, validationCount);
    }

    static int windowCount(int sequenceLength, int window) {
        return sequenceLength < 1 ? 0 : (sequenceLength - 1) / window;
    }

    private static int heldOut(int windows, double validationFraction) {
        if (windows < 2 || validationFraction <= 0) {
            return 0;
        }
        long held = Math.round(windows * validationFraction);
        return (int) Math.max(1, Math.min(windows - 1, held));
    }

    private static double[] checkedSequence(List<double[]> sequences, int index) {
        double[] sequence = sequences.get(index);
        if (sequence == null) {
            throw new IllegalArgumentException("sequence " + index + " is null");
        }
        for (int t = 0; t < sequence.length; t++) {
            if (!Double.isFinite(sequence[t])) {
                throw new IllegalArgumentException(
                        "sequence " + index + " has a non-finite value at " + t + ": " + sequence[t]);
            }
        }
        return sequence;
    }
}
