package io.seismo.nn;

/**
 * {@link Adam} with the learning rate given per step, so that the trainer can follow a
 * {@link LearningRateSchedule}. Same arithmetic as {@link Adam#step} (same bits for the same rate); beta1 0.9,
 * beta2 0.999, epsilon 1e-8. Not thread-safe.
 */
final class ScheduledAdam {

    private final double[] firstMoment;
    private final double[] secondMoment;
    private long steps;

    ScheduledAdam(int parameterCount) {
        if (parameterCount < 1) {
            throw new IllegalArgumentException("parameterCount must be at least 1 but was " + parameterCount);
        }
        firstMoment = new double[parameterCount];
        secondMoment = new double[parameterCount];
    }

    /**
     * Applies one update with the given learning rate.
     *
     * @param params modified in place
     * @param gradient read only; same length as params
     */
    void step(double[] params, double[] gradient, double learningRate) {
        if (params.length != firstMoment.length || gradient.length != firstMoment.length) {
            throw new IllegalArgumentException("optimiser was built for " + firstMoment.length
                    + " parameters but got params of length " + params.length + " and gradient of length "
                    + gradient.length);
        }
        final double beta1 = Adam.DEFAULT_BETA1;
        final double beta2 = Adam.DEFAULT_BETA2;
        steps++;
        double firstCorrection = 1.0 - Math.pow(beta1, steps);
        double secondCorrection = 1.0 - Math.pow(beta2, steps);
        for (int k = 0; k < params.length; k++) {
            double g = gradient[k];
            double m = beta1 * firstMoment[k] + (1.0 - beta1) * g;
            double v = beta2 * secondMoment[k] + (1.0 - beta2) * g * g;
            firstMoment[k] = m;
            secondMoment[k] = v;
            params[k] -= learningRate * (m / firstCorrection) / (Math.sqrt(v / secondCorrection) + Adam.DEFAULT_EPSILON);
        }
    }

    long steps() {
        return steps;
    }
}
