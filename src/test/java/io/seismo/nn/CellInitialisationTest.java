package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CellInitialisationTest {

    /** Gate blocks of H rows in each cell's weight matrix, as documented by the cell. */
    private static int gateBlocks(CellType cell) {
        return switch (cell) {
            case LSTM, LSTM_PEEPHOLE -> 4;
            case LSTM_COUPLED, GRU -> 3;
            case RNN -> 1;
        };
    }

    /** Index of the forget-gate block, or -1 for cells without one. */
    private static int forgetBlock(CellType cell) {
        return switch (cell) {
            case LSTM, LSTM_PEEPHOLE -> 1;
            case LSTM_COUPLED -> 0;
            case GRU, RNN -> -1;
        };
    }

    /** Parameters after the bias: the peephole vectors, zero so that the cell starts as a plain LSTM. */
    private static int trailingZeros(CellType cell, int hidden) {
        return cell == CellType.LSTM_PEEPHOLE ? 3 * hidden : 0;
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void shouldInitialiseForgetBiasesToOneOtherBiasesToZeroAndWeightsWithinTheGlorotLimit(CellType cell) {
        int hidden = 5;
        int layers = 3;
        int inputSize = 2;
        double[] params = Network.initialise(new NetworkShape(cell, inputSize, hidden, layers), 9).parameters();
        int blocks = gateBlocks(cell);
        int offset = 0;
        for (int layer = 0; layer < layers; layer++) {
            int inputs = layer == 0 ? inputSize : hidden;
            int weights = blocks * hidden * (inputs + hidden);
            double limit = Math.sqrt(6.0 / (inputs + 2 * hidden));
            boolean anyNonZero = false;
            for (int k = offset; k < offset + weights; k++) {
                assertTrue(Math.abs(params[k]) <= limit, "layer " + layer + " weight " + k + " within Glorot limit");
                anyNonZero |= params[k] != 0.0;
            }
            assertTrue(anyNonZero, "layer " + layer + " weights are random, not zero");
            int bias = offset + weights;
            for (int r = 0; r < blocks * hidden; r++) {
                double expected = r / hidden == forgetBlock(cell) ? 1.0 : 0.0;
                assertEquals(expected, params[bias + r], 0.0, "layer " + layer + " bias row " + r);
            }
            int tail = bias + blocks * hidden;
            for (int k = tail; k < tail + trailingZeros(cell, hidden); k++) {
                assertEquals(0.0, params[k], 0.0, "layer " + layer + " peephole " + (k - tail));
            }
            offset = tail + trailingZeros(cell, hidden);
            assertEquals(offset, (int) (layer == 0 ? 0 : cell.parameterCount(inputSize, hidden)
                    + (layer - 1) * cell.parameterCount(hidden, hidden)) + (int) cell.parameterCount(inputs, hidden),
                    "layer " + layer + " ends where CellType's count says");
        }
        assertEquals(offset + hidden + 1, params.length, "layout ends with head weights and bias");
        for (int j = 0; j < hidden; j++) {
            assertTrue(Math.abs(params[offset + j]) < 0.1, "head weight " + j + " is small");
        }
        assertEquals(0.0, params[offset + hidden], 0.0, "head bias");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void initialiseShouldBeDeterministicForASeedAndDifferAcrossSeeds(CellType cell) {
        NetworkShape shape = new NetworkShape(cell, 1, 4, 2);
        double[] first = Network.initialise(shape, 42).parameters();
        double[] again = Network.initialise(shape, 42).parameters();
        double[] other = Network.initialise(shape, 43).parameters();
        assertArrayEquals(first, again, 0.0);
        assertFalse(Arrays.equals(first, other));
    }
}
