package io.seismo.nn;

import java.util.Locale;

/**
 * How the learning rate changes over the epochs of a training run, as a pure function of the configured base
 * rate, the 1-based epoch and {@code maxEpochs}. The trainer applies it per epoch: every optimiser step of epoch e
 * uses {@code rate(base, e, maxEpochs)}.
 *
 * <ul>
 *   <li>{@link Constant}: {@code base} throughout.</li>
 *   <li>{@link Cosine}: half a cosine from {@code base} at epoch 1 down to {@code floorFraction * base} at epoch
 *       {@code maxEpochs}: {@code base * (floor + (1 - floor) * (1 + cos(pi * (e - 1) / (maxEpochs - 1))) / 2)};
 *       {@code base} when {@code maxEpochs} is 1. Early stopping may end the run before the floor is reached.</li>
 *   <li>{@link StepDecay}: {@code base * factor^floor((e - 1) / everyEpochs)}, i.e. multiplied by {@code factor}
 *       after every {@code everyEpochs} epochs.</li>
 * </ul>
 *
 * <p>Text form (see {@link #parse}): {@code constant}, {@code cosine:<floorFraction>}, {@code step:<everyEpochs>:<factor>}.
 */
public sealed interface LearningRateSchedule {

    /**
     * The learning rate of epoch {@code epoch}.
     *
     * @throws IllegalArgumentException if {@code epoch} is not in [1, maxEpochs]
     */
    double rate(double baseRate, int epoch, int maxEpochs);

    static LearningRateSchedule constant() {
        return new Constant();
    }

    static LearningRateSchedule cosine(double floorFraction) {
        return new Cosine(floorFraction);
    }

    static LearningRateSchedule step(int everyEpochs, double factor) {
        return new StepDecay(everyEpochs, factor);
    }

    /**
     * Parses the text form, case-insensitively: {@code constant}, {@code cosine:0.1}, {@code step:10:0.5}.
     *
     * @throws IllegalArgumentException if the text is none of these or a number is out of range
     */
    static LearningRateSchedule parse(String text) {
        String spec = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        String[] parts = spec.split(":", -1);
        try {
            if (parts.length == 1 && parts[0].equals("constant")) {
                return constant();
            }
            if (parts.length == 2 && parts[0].equals("cosine")) {
                return cosine(Double.parseDouble(parts[1]));
            }
            if (parts.length == 3 && parts[0].equals("step")) {
                return step(Integer.parseInt(parts[1]), Double.parseDouble(parts[2]));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in learning-rate schedule '" + text + "'", e);
        }
        throw new IllegalArgumentException("unknown learning-rate schedule '" + text
                + "'; expected constant, cosine:<floorFraction> or step:<everyEpochs>:<factor>");
    }

    private static void checkEpoch(int epoch, int maxEpochs) {
        if (maxEpochs < 1 || epoch < 1 || epoch > maxEpochs) {
            throw new IllegalArgumentException("epoch must be between 1 and maxEpochs " + maxEpochs + " but was "
                    + epoch);
        }
    }

    /** The base rate in every epoch. */
    record Constant() implements LearningRateSchedule {

        @Override
        public double rate(double baseRate, int epoch, int maxEpochs) {
            checkEpoch(epoch, maxEpochs);
            return baseRate;
        }

        @Override
        public String toString() {
            return "constant";
        }
    }

    /** @param floorFraction the last epoch's rate as a share of the base rate, in [0, 1] */
    record Cosine(double floorFraction) implements LearningRateSchedule {

        public Cosine {
            if (!(floorFraction >= 0 && floorFraction <= 1)) {
                throw new IllegalArgumentException("cosine floorFraction must be in [0, 1] but was " + floorFraction);
            }
        }

        @Override
        public double rate(double baseRate, int epoch, int maxEpochs) {
            checkEpoch(epoch, maxEpochs);
            if (maxEpochs == 1) {
                return baseRate;
            }
            double progress = (double) (epoch - 1) / (maxEpochs - 1);
            return baseRate * (floorFraction + (1.0 - floorFraction) * 0.5 * (1.0 + Math.cos(Math.PI * progress)));
        }

        @Override
        public String toString() {
            return "cosine:" + floorFraction;
        }
    }

    /**
     * @param everyEpochs epochs between decays, at least 1
     * @param factor multiplier per decay, in (0, 1]
     */
    record StepDecay(int everyEpochs, double factor) implements LearningRateSchedule {

        public StepDecay {
            if (everyEpochs < 1) {
                throw new IllegalArgumentException("step everyEpochs must be at least 1 but was " + everyEpochs);
            }
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("step factor must be in (0, 1] but was " + factor);
            }
        }

        @Override
        public double rate(double baseRate, int epoch, int maxEpochs) {
            checkEpoch(epoch, maxEpochs);
            return baseRate * Math.pow(factor, (epoch - 1) / everyEpochs);
        }

        @Override
        public String toString() {
            return "step:" + everyEpochs + ":" + factor;
        }
    }
}
