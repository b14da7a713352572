package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SeriesStateFeedbackTest {
    private final SeriesState state = new SeriesState(new DetectorSettings(30, 2000, 1.0, 1.0,
            new SpotConfig(1e-4, 200, 0.98, 128, 0, 0.0), 5, 64, 12));

    @Test
    void shouldRaiseTheFactorByEachFalseAlarmUpToTheMaximumAndLowerItByEachConfirmationDownToOne() {
        assertEquals(1.0, state.thresholdFactor(), 0.0);
        assertEquals(1.5, state.applyFeedback(true, 1.5, 3), 0.0);
        assertEquals(2.25, state.applyFeedback(true, 1.5, 3), 0.0);
        assertEquals(3.0, state.applyFeedback(true, 1.5, 3), 0.0, "capped");
        assertEquals(2.0, state.applyFeedback(false, 1.5, 3), 1e-12);
        assertEquals(2.0 / 1.5, state.applyFeedback(false, 1.5, 3), 1e-12);
        assertEquals(1.0, state.applyFeedback(false, 1.5, 3), 0.0);
        assertEquals(1.0, state.applyFeedback(false, 1.5, 3), 0.0, "never below the learned threshold");
        assertEquals(3, state.falseAlarms());
        assertEquals(4, state.confirmations());
    }

    @Test
    void shouldRefuseARaiseThatDoesNotRaise() {
        assertThrows(IllegalArgumentException.class, () -> state.applyFeedback(true, 1.0, 4));
        assertThrows(IllegalArgumentException.class, () -> state.applyFeedback(true, Double.NaN, 4));
        assertThrows(IllegalArgumentException.class, () -> state.applyFeedback(true, 1.25, 0.5));
    }
}
