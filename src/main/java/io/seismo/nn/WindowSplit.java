package io.seismo.nn;

import java.util.List;

/**
 * Sequences cut into windows of {@code window} steps and split into training and validation windows.
 *
 * <p>Window k of a sequence covers steps {@code [k * window, (k + 1) * window)}, so every step belongs to at
 * most one window (for value-only sequences: values {@code [k * window, k * window + window]}, consecutive
 * windows sharing one value and every value after the first being a target exactly once). The last
 * {@code validationFraction} of each sequence's windows (rounded, at least one when the sequence has two or more
 * windows and the fraction is positive, never all of them) is held out.
 *
 * <p>Window w of a set is {@code inputs[w * window * inputSize ..)} and {@code targets[w * window ..)}.
 */
final class WindowSplit {

    final int window;
    final int inputSize;
    final double[] trainingInputs;
    final double[] trainingTargets;
    final int trainingCount;
    final double[] validationInputs;
    final double[] validationTargets;
    final int validationCount;

    private WindowSplit(int window, int inputSize, double[] trainingInputs, double[] trainingTargets,
                        int trainingCount, double[] validationInputs, double[] validationTargets,
                        int validationCount) {
        this.window = window;
        this.inputSize = inputSize;
        this.trainingInputs = trainingInputs;
        this.trainingTargets = trainingTargets;
        this.trainingCount = trainingCount;
        this.validationInputs = validationInputs;
        this.validationTargets = validationTargets;
        this.validationCount = validationCount;
    }

    /** @throws IllegalArgumentException if a sequence is null or its inputSize differs from {@code inputSize} */
    static WindowSplit of(List<Sequence> sequences, int window, double validationFraction, int inputSize) {
        if (sequences == null) {
            throw new IllegalArgumentException("sequences must not be null");
        }
        int trainingCount = 0;
        int validationCount = 0;
        for (int s = 0; s < sequences.size(); s++) {
            Sequence sequence = sequences.get(s);
            if (sequence == null) {
                throw new IllegalArgumentException("sequence " + s + " is null");
            }
            if (sequence.inputSize() != inputSize) {
                throw new IllegalArgumentException("sequence " + s + " has inputSize " + sequence.inputSize()
                        + " but the network takes inputSize " + inputSize);
            }
            int windows = sequence.steps() / window;
            int held = heldOut(windows, validationFraction);
            trainingCount += windows - held;
            validationCount += held;
        }
        int windowInputs = Math.multiplyExact(window, inputSize);
        double[] trainingInputs = new double[Math.multiplyExact(trainingCount, windowInputs)];
        double[] trainingTargets = new double[Math.multiplyExact(trainingCount, window)];
        double[] validationInputs = new double[Math.multiplyExact(validationCount, windowInputs)];
        double[] validationTargets = new double[Math.multiplyExact(validationCount, window)];
        int trainingAt = 0;
        int validationAt = 0;
        for (Sequence sequence : sequences) {
            int windows = sequence.steps() / window;
            int firstHeld = windows - heldOut(windows, validationFraction);
            for (int k = 0; k < windows; k++) {
                boolean training = k < firstHeld;
                int at = training ? trainingAt++ : validationAt++;
                System.arraycopy(sequence.inputs(), k * windowInputs,
                        training ? trainingInputs : validationInputs, at * windowInputs, windowInputs);
                System.arraycopy(sequence.targets(), k * window,
                        training ? trainingTargets : validationTargets, at * window, window);
            }
        }
        return new WindowSplit(window, inputSize, trainingInputs, trainingTargets, trainingCount,
                validationInputs, validationTargets, validationCount);
    }

    private static int heldOut(int windows, double validationFraction) {
        if (windows < 2 || validationFraction <= 0) {
            return 0;
        }
        long held = Math.round(windows * validationFraction);
        return (int) Math.max(1, Math.min(windows - 1, held));
    }
}
