package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private static final double TOLERANCE = 1e-15;

    @Test
    void constantShouldReturnTheBaseRateInEveryEpoch() {
        LearningRateSchedule constant = LearningRateSchedule.constant();
        for (int epoch = 1; epoch <= 10; epoch++) {
            assertEquals(0.01, constant.rate(0.01, epoch, 10), 0.0);
        }
    }

    @Test
    void cosineShouldFallFromTheBaseRateAtEpochOneToTheFloorAtTheLastEpoch() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1);
        assertEquals(1.0, cosine.rate(1.0, 1, 5), TOLERANCE);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI / 4)) / 2, cosine.rate(1.0, 2, 5), TOLERANCE);
        assertEquals(0.55, cosine.rate(1.0, 3, 5), TOLERANCE, "halfway between base and floor at mid-run");
        assertEquals(0.1 + 0.9 * (1 + Math.cos(3 * Math.PI / 4)) / 2, cosine.rate(1.0, 4, 5), TOLERANCE);
        assertEquals(0.1, cosine.rate(1.0, 5, 5), TOLERANCE);
        assertEquals(0.003 * 0.55, cosine.rate(0.003, 3, 5), TOLERANCE, "scales with the base rate");
        assertEquals(2.0, cosine.rate(2.0, 1, 1), 0.0, "a one-epoch run keeps the base rate");
        double previous = Double.MAX_VALUE;
        for (int epoch = 1; epoch <= 30; epoch++) {
            double rate = LearningRateSchedule.cosine(0.0).rate(1.0, epoch, 30);
            assertTrue(rate < previous && rate >= 0, "strictly decreasing at epoch " + epoch);
            previous = rate;
        }
    }

    @Test
    void stepDecayShouldMultiplyByTheFactorAfterEveryStepOfEpochs() {
        LearningRateSchedule step = LearningRateSchedule.step(3, 0.5);
        double[] expected = {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125};
        for (int epoch = 1; epoch <= 10; epoch++) {
            assertEquals(expected[epoch - 1], step.rate(1.0, epoch, 10), TOLERANCE, "epoch " + epoch);
        }
    }

    @Test
    void rateShouldRejectEpochsOutsideTheRun() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant().rate(1, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1).rate(1, 6, 5));
    }

    @Test
    void parseShouldReadTheTextFormAndRoundTripThroughToString() {
        assertEquals(LearningRateSchedule.constant(), LearningRateSchedule.parse("Constant"));
        assertEquals(LearningRateSchedule.cosine(0.05), LearningRateSchedule.parse(" cosine:0.05 "));
        assertEquals(LearningRateSchedule.step(10, 0.5), LearningRateSchedule.parse("step:10:0.5"));
        for (LearningRateSchedule schedule : new LearningRateSchedule[] {LearningRateSchedule.constant(),
                LearningRateSchedule.cosine(0.25), LearningRateSchedule.step(4, 0.3)}) {
            assertEquals(schedule, LearningRateSchedule.parse(schedule.toString()));
        }
    }

    @Test
    void shouldRejectInvalidSchedulesWithClearMessages() {
        assertMessage("expected constant, cosine", () -> LearningRateSchedule.parse("linear"));
        assertMessage("bad number", () -> LearningRateSchedule.parse("cosine:x"));
        assertMessage("floorFraction", () -> LearningRateSchedule.cosine(1.5));
        assertMessage("everyEpochs", () -> LearningRateSchedule.step(0, 0.5));
        assertMessage("factor", () -> LearningRateSchedule.step(2, 0));
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(error.getMessage().contains(fragment), error.getMessage());
    }
}
