package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CellTypeTest {

    @Test
    void idsShouldBeTheDocumentedStableNames() {
        assertEquals(List.of("lstm", "lstm-peephole", "lstm-coupled", "gru", "rnn"),
                Arrays.stream(CellType.values()).map(CellType::id).toList());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void everyIdShouldParseIgnoringCaseAndSurroundingSpace(CellType cell) {
        assertEquals(cell, CellType.parse(cell.id()));
        assertEquals(cell, CellType.parse(cell.id().toUpperCase(Locale.ROOT)));
        assertEquals(cell, CellType.parse("  " + cell.id() + " "));
    }

    @Test
    void parseShouldListEveryValidIdWhenUnknown() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CellType.parse("lstm_peephole"));
        assertTrue(error.getMessage().contains("lstm_peephole"), error.getMessage());
        for (CellType cell : CellType.values()) {
            assertTrue(error.getMessage().contains(cell.id()), error.getMessage());
        }
    }

    @Test
    void parameterCountsShouldFollowEachCellsLayout() {
        // I = 2, H = 3, K = 5.
        assertEquals(4 * 3 * 5 + 4 * 3, CellType.LSTM.parameterCount(2, 3));
        assertEquals(4 * 3 * 5 + 4 * 3 + 3 * 3, CellType.LSTM_PEEPHOLE.parameterCount(2, 3));
        assertEquals(3 * 3 * 5 + 3 * 3, CellType.LSTM_COUPLED.parameterCount(2, 3));
        assertEquals(3 * 3 * 5 + 3 * 3, CellType.GRU.parameterCount(2, 3));
        assertEquals(3 * 5 + 3, CellType.RNN.parameterCount(2, 3));
    }

    @Test
    void parameterCountsForOneInputAndThirtyTwoUnitsShouldBeAsDocumented() {
        assertEquals(4352, CellType.LSTM.parameterCount(1, 32));
        assertEquals(4448, CellType.LSTM_PEEPHOLE.parameterCount(1, 32));
        assertEquals(3264, CellType.LSTM_COUPLED.parameterCount(1, 32));
        assertEquals(3264, CellType.GRU.parameterCount(1, 32));
        assertEquals(1088, CellType.RNN.parameterCount(1, 32));
    }

    @Test
    void lstmVariantsShouldKeepHAndCAndTheOthersOnlyH() {
        assertEquals(10, CellType.LSTM.stateSize(5));
        assertEquals(10, CellType.LSTM_PEEPHOLE.stateSize(5));
        assertEquals(10, CellType.LSTM_COUPLED.stateSize(5));
        assertEquals(5, CellType.GRU.stateSize(5));
        assertEquals(5, CellType.RNN.stateSize(5));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void cellKernelsShouldAgreeWithTheCountsCellTypeReports(CellType cell) {
        for (int inputSize : new int[] {1, 4, 7}) {
            RecurrentCell kernel = cell.newCell(inputSize, 6);
            assertEquals(inputSize, kernel.inputSize());
            assertEquals(6, kernel.hiddenSize());
            assertEquals(cell.parameterCount(inputSize, 6), kernel.parameterCount());
            assertEquals(cell.stateSize(6), kernel.stateSize());
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void shapeShouldCountEveryLayerAndTheHeadAndHoldEveryLayersState(CellType cell) {
        NetworkShape shape = new NetworkShape(cell, 2, 3, 3);
        assertEquals(cell.parameterCount(2, 3) + 2 * cell.parameterCount(3, 3) + 3 + 1, shape.parameterCount());
        assertEquals(3 * cell.stateSize(3), shape.stateSize());
        // LayerStack checks its own sums against the shape's.
        assertEquals(shape.parameterCount(), new LayerStack(shape).parameterCount);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void shapeShouldAcceptTheLargestHiddenSizeAndRejectAnOverflowingParameterCount(CellType cell) {
        assertEquals(1024, new NetworkShape(cell, 1, 1024, 3).hiddenSize());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new NetworkShape(cell, 3_000_000, 1024, 1));
        assertTrue(error.getMessage().contains("parameters"), error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void cellsShouldRejectEmptyDimensions(CellType cell) {
        assertThrows(IllegalArgumentException.class, () -> cell.newCell(0, 4));
        assertThrows(IllegalArgumentException.class, () -> cell.newCell(1, 0));
    }
}
