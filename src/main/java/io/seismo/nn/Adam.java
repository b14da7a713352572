package io.seismo.nn;

/**
 * The Adam optimiser (Kingma and Ba) for one flat parameter array, holding its first and second moment estimates.
 * Not thread-safe.
 */
public final class Adam {

    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] firstMoment;
    private final double[] secondMoment;
    private long steps;

    /** Adam with beta1 0.9, beta2 0.999 and epsilon 1e-8. */
    public Adam(int parameterCount, double learningRate) {
        this(parameterCount, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    public Adam(int parameterCount, double learningRate, double beta1, double beta2, double epsilon) {
        if (parameterCount < 1) {
            throw new IllegalArgumentException("parameterCount must be at least 1 but was " + parameterCount);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite but was " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1) but were " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be positive but was " + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.firstMoment = new double[parameterCount];
        this.secondMoment = new double[parameterCount];
    }

    /**
     * Applies one update.
     *
     * @param params modified in place
     * @param gradient read only; same length as params
     */
    public void step(double[] params, double[] gradient) {
        step(params, gradient, learningRate);
    }

    /**
     * Applies one update with the given learning rate instead of the one set at construction, for a schedule.
     *
     * @param params   modified in place
     * @param gradient read only; same length as params
     */
    public void step(double[] params, double[] gradient, double rate) {
        if (params.length != firstMoment.length || gradient.length != firstMoment.length) {
            throw new IllegalArgumentException("Adam was built for " + firstMoment.length
                    + " parameters but got params of length " + params.length + " and gradient of length "
                    + gradient.length);
        }
        steps++;
        double firstCorrection = 1.0 - Math.pow(beta1, steps);
        double secondCorrection = 1.0 - Math.pow(beta2, steps);
        for (int k = 0; k < params.length; k++) {
            double g = gradient[k];
            double m = beta1 * firstMoment[k] + (1.0 - beta1) * g;
            double v = beta2 * secondMoment[k] + (1.0 - beta2) * g * g;
            firstMoment[k] = m;
            secondMoment[k] = v;
            params[k] -= rate * (m / firstCorrection) / (Math.sqrt(v / secondCorrection) + epsilon);
        }
    }

    /** Number of updates applied so far. */
    public long steps() {
        return steps;
    }
}
