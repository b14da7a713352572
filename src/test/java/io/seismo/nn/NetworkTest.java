package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NetworkTest {

    private static final NetworkShape SMALL = new NetworkShape(CellType.LSTM, 1, 4, 2);

    @Test
    void shouldComputeAHandWorkedLstmStep() {
        // Rows i, f, g, o with columns [x, h_prev]; then biases i, f, g, o; then head weight and bias.
        double wix = 0.5, wih = -0.3, wfx = 0.2, wfh = 0.4, wgx = -0.6, wgh = 0.1, wox = 0.3, woh = 0.7;
        double bi = 0.1, bf = 1.0, bg = -0.2, bo = 0.05, headWeight = 1.5, headBias = -0.25;
        double[] params = {wix, wih, wfx, wfh, wgx, wgh, wox, woh, bi, bf, bg, bo, headWeight, headBias};
        double x = 0.8, hPrev = -0.4, cPrev = 0.6;

        double i = 1 / (1 + Math.exp(-(wix * x + wih * hPrev + bi)));
        double f = 1 / (1 + Math.exp(-(wfx * x + wfh * hPrev + bf)));
        double zg = wgx * x + wgh * hPrev + bg;
        double g = (Math.exp(zg) - Math.exp(-zg)) / (Math.exp(zg) + Math.exp(-zg));
        double o = 1 / (1 + Math.exp(-(wox * x + woh * hPrev + bo)));
        double c = f * cPrev + i * g;
        double h = o * (Math.exp(c) - Math.exp(-c)) / (Math.exp(c) + Math.exp(-c));
        double output = headWeight * h + headBias;

        Network network = Network.fromParameters(new NetworkShape(CellType.LSTM, 1, 1, 1), params);
        double[] state = {hPrev, cPrev};
        double prediction = network.step(state, x, network.newScratch());

        assertEquals(h, state[0], 1e-12, "h");
        assertEquals(c, state[1], 1e-12, "c");
        assertEquals(output, prediction, 1e-12, "output");
    }

    @Test
    void arrayAndScalarStepsShouldAgree() {
        Network network = Network.initialise(SMALL, 3);
        double[] arrayState = network.newState();
        double[] scalarState = network.newState();
        double[] scratch = network.newScratch();
        double[] input = new double[1];
        for (int t = 0; t < 20; t++) {
            input[0] = Math.sin(t * 0.3);
            double viaArray = network.step(arrayState, input, scratch);
            double viaScalar = network.step(scalarState, input[0], scratch);
            assertEquals(viaArray, viaScalar, 0.0);
        }
        assertArrayEquals(arrayState, scalarState, 0.0);
    }

    @Test
    void shouldInitialiseForgetGateBiasToOneAndOtherBiasesToZero() {
        int hidden = 5;
        int layers = 3;
        Network network = Network.initialise(new NetworkShape(CellType.LSTM, 2, hidden, layers), 9);
        double[] params = network.parameters();
        int offset = 0;
        for (int layer = 0; layer < layers; layer++) {
            int inputs = layer == 0 ? 2 : hidden;
            int weights = 4 * hidden * (inputs + hidden);
            double limit = Math.sqrt(6.0 / (inputs + 2 * hidden));
            for (int k = offset; k < offset + weights; k++) {
                assertTrue(Math.abs(params[k]) <= limit, "weight " + k + " within Glorot limit");
            }
            int bias = offset + weights;
            for (int r = 0; r < 4 * hidden; r++) {
                double expected = r >= hidden && r < 2 * hidden ? 1.0 : 0.0;
                assertEquals(expected, params[bias + r], 0.0, "layer " + layer + " bias row " + r);
            }
            offset = bias + 4 * hidden;
        }
        assertEquals(offset + hidden + 1, params.length, "layout ends with head weights and bias");
        for (int j = 0; j < hidden; j++) {
            assertTrue(Math.abs(params[offset + j]) < 0.1, "head weight " + j + " is small");
        }
        assertEquals(0.0, params[offset + hidden], 0.0, "head bias");
    }

    @Test
    void initialiseShouldBeDeterministicForASeedAndDifferAcrossSeeds() {
        double[] first = Network.initialise(SMALL, 42).parameters();
        double[] again = Network.initialise(SMALL, 42).parameters();
        double[] other = Network.initialise(SMALL, 43).parameters();
        assertArrayEquals(first, again, 0.0);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void fromParametersShouldCopyAndParametersShouldReturnACopy() {
        double[] params = Network.initialise(SMALL, 1).parameters();
        double original = params[0];
        Network network = Network.fromParameters(SMALL, params);
        params[0] = 99;
        network.parameters()[0] = 77;
        assertEquals(original, network.parameters()[0], 0.0);
    }

    @Test
    void shouldRejectParametersOfTheWrongLength() {
        double[] params = new double[SMALL.parameterCount() - 1];
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Network.fromParameters(SMALL, params));
        assertTrue(error.getMessage().contains("length " + params.length), error.getMessage());
        assertTrue(error.getMessage().contains(String.valueOf(SMALL.parameterCount())), error.getMessage());
    }

    @Test
    void shouldRejectNonFiniteParameters() {
        double[] params = Network.initialise(SMALL, 1).parameters();
        params[3] = Double.NaN;
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Network.fromParameters(SMALL, params));
        assertTrue(error.getMessage().contains("parameter 3"), error.getMessage());
    }

    @Test
    void shouldRejectStateOfTheWrongLength() {
        Network network = Network.initialise(SMALL, 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> network.step(new double[network.stateSize() + 1], 0.5, network.newScratch()));
        assertTrue(error.getMessage().contains("state has length " + (network.stateSize() + 1)), error.getMessage());
    }

    @Test
    void shouldRejectInputOfTheWrongLength() {
        Network network = Network.initialise(SMALL, 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> network.step(network.newState(), new double[2], network.newScratch()));
        assertTrue(error.getMessage().contains("input has length 2"), error.getMessage());
    }

    @Test
    void shouldRejectScratchThatIsTooShort() {
        Network network = Network.initialise(SMALL, 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> network.step(network.newState(), 0.5, new double[network.scratchSize() - 1]));
        assertTrue(error.getMessage().contains("scratchSize " + network.scratchSize()), error.getMessage());
    }

    @Test
    void scalarStepShouldRequireASingleInput() {
        Network network = Network.initialise(new NetworkShape(CellType.LSTM, 3, 2, 1), 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> network.step(network.newState(), 0.5, network.newScratch()));
        assertTrue(error.getMessage().contains("inputSize 1"), error.getMessage());
    }

    @Test
    void stepShouldChangeStateAndDependOnInput() {
        Network network = Network.initialise(SMALL, 2);
        double[] first = network.newState();
        double[] second = network.newState();
        double[] scratch = network.newScratch();
        double a = network.step(first, 1.0, scratch);
        double b = network.step(second, -1.0, scratch);
        assertNotEquals(a, b);
        assertFalse(Arrays.equals(first, network.newState()));
    }
}
