package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OptimiserTest {

    @Test
    void adamShouldConvergeOnAnIllConditionedQuadratic() {
        // f(p) = sum a_k (p_k - t_k)^2 with curvatures spanning three orders of magnitude.
        double[] curvature = {0.01, 1.0, 10.0};
        double[] target = {3.0, -2.0, 0.5};
        double[] params = {0.0, 0.0, 0.0};
        double[] gradient = new double[3];
        Adam adam = new Adam(3, 0.05);
        for (int step = 0; step < 3000; step++) {
            for (int k = 0; k < 3; k++) {
                gradient[k] = 2 * curvature[k] * (params[k] - target[k]);
            }
            adam.step(params, gradient);
        }
        assertArrayEquals(target, params, 1e-3);
        assertEquals(3000, adam.steps());
    }

    @Test
    void adamFirstStepShouldMoveEachParameterByTheLearningRate() {
        // Bias correction makes the first update lr * g / |g|, whatever the gradient's scale.
        double[] params = {1.0, 1.0};
        new Adam(2, 0.01).step(params, new double[] {0.5, -50.0});
        assertArrayEquals(new double[] {0.99, 1.01}, params, 1e-9);
    }

    @Test
    void adamShouldRejectArraysOfTheWrongLength() {
        Adam adam = new Adam(2, 0.01);
        assertThrows(IllegalArgumentException.class, () -> adam.step(new double[3], new double[3]));
    }

    @Test
    void clippingShouldScaleALargeGradientToTheGivenNorm() {
        double[] gradient = {3.0, 4.0};
        double normBefore = GradientClipping.clipByGlobalNorm(gradient, 1.0);
        assertEquals(5.0, normBefore, 1e-12);
        assertArrayEquals(new double[] {0.6, 0.8}, gradient, 1e-12);
    }

    @Test
    void clippingShouldLeaveASmallGradientAlone() {
        double[] gradient = {0.3, -0.4};
        GradientClipping.clipByGlobalNorm(gradient, 1.0);
        assertArrayEquals(new double[] {0.3, -0.4}, gradient, 0.0);
    }

    @Test
    void clippingShouldRejectANonPositiveNorm() {
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(new double[1], 0.0));
    }
}
