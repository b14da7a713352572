package io.seismo.nn;

/** Gradient clipping by global L2 norm. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Scales {@code gradient} so that its L2 norm is at most {@code maxNorm}; a gradient already within the bound
     * is left untouched.
     *
     * @param gradient modified in place when its norm exceeds {@code maxNorm}
     * @return the norm before clipping
     */
    public static double clipByGlobalNorm(double[] gradient, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive but was " + maxNorm);
        }
        double sumSquares = 0.0;
        for (double g : gradient) {
            sumSquares += g * g;
        }
        double norm = Math.sqrt(sumSquares);
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            for (int k = 0; k < gradient.length; k++) {
                gradient[k] *= scale;
            }
        }
        return norm;
    }
}
