package io.seismo.nn;

import java.util.Objects;

/**
 * One series prepared for next-value training: per step, the network's input vector and the value to predict.
 *
 * <p>Step t reads {@code inputs[t * inputSize .. (t + 1) * inputSize)} and has target {@code targets[t]}, the
 * scaled value at t + 1. Input 0 of every step must be the scaled value at t (as {@link InputEncoding} writes
 * it): the trainer's naive last-value baseline reads it.
 *
 * <p>The arrays are not copied; callers must not modify them while a sequence is in use.
 *
 * @param inputSize inputs per step, at least 1
 * @param inputs {@code steps() * inputSize} values
 * @param targets one value per step
 */
public record Sequence(int inputSize, double[] inputs, double[] targets) {

    /** @throws IllegalArgumentException if the lengths disagree or a value is not finite */
    public Sequence {
        Objects.requireNonNull(inputs, "inputs must not be null");
        Objects.requireNonNull(targets, "targets must not be null");
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1 but was " + inputSize);
        }
        if ((long) targets.length * inputSize != inputs.length) {
            throw new IllegalArgumentException(targets.length + " targets with inputSize " + inputSize + " need "
                    + (long) targets.length * inputSize + " inputs but there are " + inputs.length);
        }
        for (int k = 0; k < inputs.length; k++) {
            if (!Double.isFinite(inputs[k])) {
                throw new IllegalArgumentException("input " + k % inputSize + " of step " + k / inputSize
                        + " is not finite: " + inputs[k]);
            }
        }
        for (int t = 0; t < targets.length; t++) {
            if (!Double.isFinite(targets[t])) {
                throw new IllegalArgumentException("target of step " + t + " is not finite: " + targets[t]);
            }
        }
    }

    /**
     * A value-only sequence: input x[t], target x[t+1], so {@code n} values give {@code n - 1} steps.
     *
     * @param scaledValues read only; copied
     * @throws IllegalArgumentException if a value is not finite
     */
    public static Sequence ofValues(double[] scaledValues) {
        Objects.requireNonNull(scaledValues, "scaledValues must not be null");
        int steps = Math.max(0, scaledValues.length - 1);
        double[] inputs = new double[steps];
        double[] targets = new double[steps];
        System.arraycopy(scaledValues, 0, inputs, 0, steps);
        if (steps > 0) {
            System.arraycopy(scaledValues, 1, targets, 0, steps);
        }
        return new Sequence(1, inputs, targets);
    }

    /**
     * Encodes a series: step t is {@code encoding}'s input vector for value t at timestamp t (previous timestamp
     * t - 1, or {@link InputEncoding#NO_PREVIOUS} for the first), target value t + 1.
     *
     * @param scaledValues read only
     * @param timestampsMillis read only; same length as {@code scaledValues}
     * @param typicalGapMillis the series' typical time between readings (used by the gap input only)
     * @throws IllegalArgumentException if the lengths differ, a value is not finite or the typical gap is invalid
     */
    public static Sequence encode(double[] scaledValues, long[] timestampsMillis, double typicalGapMillis,
                                  InputEncoding encoding) {
        Objects.requireNonNull(scaledValues, "scaledValues must not be null");
        Objects.requireNonNull(timestampsMillis, "timestampsMillis must not be null");
        Objects.requireNonNull(encoding, "encoding must not be null");
        if (scaledValues.length != timestampsMillis.length) {
            throw new IllegalArgumentException(scaledValues.length + " values but " + timestampsMillis.length
                    + " timestamps");
        }
        int size = encoding.inputSize();
        int steps = Math.max(0, scaledValues.length - 1);
        double[] inputs = new double[Math.multiplyExact(steps, size)];
        double[] targets = new double[steps];
        double[] step = new double[size];
        for (int t = 0; t < steps; t++) {
            long previous = t == 0 ? InputEncoding.NO_PREVIOUS : timestampsMillis[t - 1];
            encoding.encode(scaledValues[t], timestampsMillis[t], previous, typicalGapMillis, step);
            System.arraycopy(step, 0, inputs, t * size, size);
            targets[t] = scaledValues[t + 1];
        }
        return new Sequence(size, inputs, targets);
    }

    /** Number of predictions this sequence holds. */
    public int steps() {
        return targets.length;
    }
}
