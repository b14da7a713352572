package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A network's shape: its counts by known values and its limits (the cells' own ids and counts: {@link CellTypeTest}). */
class NetworkShapeTest {

    @Test
    void parameterCountShouldCoverEveryLayerAndTheHead() {
        // Layer 0: 4*3*(2+3) + 4*3 = 72; layers 1, 2: 4*3*(3+3) + 12 = 84 each; head 3 + 1.
        assertEquals(72 + 84 + 84 + 4, new NetworkShape(CellType.LSTM, 2, 3, 3).parameterCount());
        assertEquals(4 * 1 * 2 + 4 + 2, new NetworkShape(CellType.LSTM, 1, 1, 1).parameterCount());
    }

    @Test
    void stateSizeShouldHoldHAndCPerLayer() {
        assertEquals(3 * 2 * 5, new NetworkShape(CellType.LSTM, 1, 5, 3).stateSize());
    }

    @Test
    void shapeShouldRejectOutOfRangeDimensionsWithClearMessages() {
        assertMessage("inputSize", () -> new NetworkShape(CellType.LSTM, 0, 4, 1));
        assertMessage("hiddenSize", () -> new NetworkShape(CellType.LSTM, 1, 0, 1));
        assertMessage("hiddenSize", () -> new NetworkShape(CellType.LSTM, 1, 1025, 1));
        assertMessage("layers", () -> new NetworkShape(CellType.LSTM, 1, 4, 0));
        assertMessage("layers", () -> new NetworkShape(CellType.LSTM, 1, 4, 4));
        assertMessage("parameters", () -> new NetworkShape(CellType.LSTM, 1_000_000, 1024, 1));
        assertThrows(NullPointerException.class, () -> new NetworkShape(null, 1, 4, 1));
    }

    @Test
    void shapeShouldAcceptTheBoundaries() {
        assertEquals(1024, new NetworkShape(CellType.LSTM, 1, 1024, 3).hiddenSize());
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(error.getMessage().contains(fragment), error.getMessage());
    }
}
