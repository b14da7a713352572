package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputEncodingTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    /** 1970-01-05, the first Monday after the epoch (a Thursday). */
    private static final long FIRST_MONDAY = 4 * DAY;
    /** 2024-03-14 00:00 UTC, a Thursday. */
    private static final long THURSDAY_2024 = 1_710_374_400_000L;
    private static final double TOLERANCE = 1e-12;

    private static final InputEncoding ALL = new InputEncoding(true, true, true);

    @Test
    void inputSizeShouldCountTheValueAndEachEnabledExtra() {
        assertEquals(1, InputEncoding.VALUE_ONLY.inputSize());
        assertEquals(3, new InputEncoding(true, false, false).inputSize());
        assertEquals(3, new InputEncoding(false, true, false).inputSize());
        assertEquals(2, new InputEncoding(false, false, true).inputSize());
        assertEquals(6, ALL.inputSize());
    }

    @Test
    void timeOfDayShouldBeSinZeroCosOneAtMidnightAndSinOneCosZeroAtSixUtc() {
        InputEncoding encoding = new InputEncoding(true, false, false);
        double[] out = new double[3];
        encoding.encode(0.5, THURSDAY_2024, InputEncoding.NO_PREVIOUS, 1, out);
        assertArrayEquals(new double[] {0.5, 0, 1}, out, TOLERANCE);
        encoding.encode(0.5, THURSDAY_2024 + 6 * HOUR, InputEncoding.NO_PREVIOUS, 1, out);
        assertArrayEquals(new double[] {0.5, 1, 0}, out, TOLERANCE);
        encoding.encode(0.5, THURSDAY_2024 + 18 * HOUR, InputEncoding.NO_PREVIOUS, 1, out);
        assertArrayEquals(new double[] {0.5, -1, 0}, out, TOLERANCE);
    }

    @Test
    void timeOfDayShouldWrapForTimestampsBeforeTheEpoch() {
        InputEncoding encoding = new InputEncoding(true, false, false);
        double[] before = new double[3];
        double[] after = new double[3];
        encoding.encode(0, -18 * HOUR, InputEncoding.NO_PREVIOUS, 1, before);
        encoding.encode(0, 6 * HOUR, InputEncoding.NO_PREVIOUS, 1, after);
        assertArrayEquals(after, before, TOLERANCE);
    }

    @Test
    void dayOfWeekShouldStartTheWeekOnMondayAndPlaceThursdayAtThreeSevenths() {
        InputEncoding encoding = new InputEncoding(false, true, false);
        double[] out = new double[3];
        encoding.encode(0, FIRST_MONDAY, InputEncoding.NO_PREVIOUS, 1, out);
        assertArrayEquals(new double[] {0, 0, 1}, out, TOLERANCE);

        double thursday = 2 * Math.PI * 3 / 7;
        double[] expectedThursday = {0, Math.sin(thursday), Math.cos(thursday)};
        encoding.encode(0, 0L, InputEncoding.NO_PREVIOUS, 1, out);
        assertArrayEquals(expectedThursday, out, TOLERANCE, "1970-01-01 was a Thursday");
        encoding.encode(0, THURSDAY_2024, InputEncoding.NO_PREVIOUS, 1, out);
        assertArrayEquals(expectedThursday, out, TOLERANCE, "2024-03-14 was a Thursday");
        encoding.encode(0, THURSDAY_2024 - 3 * DAY, InputEncoding.NO_PREVIOUS, 1, out);
        assertArrayEquals(new double[] {0, 0, 1}, out, TOLERANCE, "2024-03-11 was a Monday");
    }

    @Test
    void extrasShouldFollowTheValueInFixedOrder() {
        double[] out = new double[6];
        ALL.encode(-1.25, FIRST_MONDAY + 6 * HOUR, FIRST_MONDAY + 5 * HOUR, HOUR, out);
        double weekAngle = 2 * Math.PI * 6.0 / (7 * 24);
        assertArrayEquals(new double[] {-1.25, 1, 0, Math.sin(weekAngle), Math.cos(weekAngle), Math.log(2)}, out,
                TOLERANCE);
    }

    @Test
    void gapShouldBeLog1pOfTheGapInTypicalGapsMonotoneAndClipped() {
        double typical = 60_000;
        assertEquals(0.0, InputEncoding.gapInput(1000, 1000, typical), 0.0);
        assertEquals(Math.log(2), InputEncoding.gapInput(60_000, 0, typical), TOLERANCE);
        assertEquals(Math.log(2), InputEncoding.gapInput(60_000, InputEncoding.NO_PREVIOUS, typical), TOLERANCE,
                "a first reading counts as a typical gap");
        assertEquals(Math.log1p(3.5), InputEncoding.gapInput(210_000, 0, typical), TOLERANCE);
        assertEquals(0.0, InputEncoding.gapInput(0, 60_000, typical), 0.0, "out-of-order readings clip at zero");
        assertEquals(InputEncoding.MAX_GAP_INPUT, InputEncoding.gapInput(Long.MAX_VALUE, 0, typical), 0.0);
        assertEquals(InputEncoding.MAX_GAP_INPUT, InputEncoding.gapInput(365 * DAY, 0, typical), 0.0);

        double previous = -1;
        for (long gap = 0; gap < 400 * typical; gap += 7_000) {
            double encoded = InputEncoding.gapInput(gap, 0, typical);
            assertTrue(encoded >= previous, "non-decreasing at gap " + gap);
            assertTrue(encoded >= 0 && encoded <= InputEncoding.MAX_GAP_INPUT, "in range at gap " + gap);
            previous = encoded;
        }
    }

    @Test
    void gapShouldRejectANonPositiveTypicalGap() {
        double[] out = new double[2];
        InputEncoding encoding = new InputEncoding(false, false, true);
        assertThrows(IllegalArgumentException.class, () -> encoding.encode(0, 10, 0, 0.0, out));
        assertThrows(IllegalArgumentException.class, () -> encoding.encode(0, 10, 0, Double.NaN, out));
        InputEncoding.VALUE_ONLY.encode(0, 10, 0, 0.0, out);
    }

    @Test
    void encodeShouldRejectAShortOutputBuffer() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ALL.encode(0, 0, 0, 1, new double[5]));
        assertTrue(error.getMessage().contains("6"), error.getMessage());
    }

    @Test
    void encodeShouldAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM must measure per-thread allocation, or the check below would pass vacuously");
        double[] out = new double[ALL.inputSize()];
        double sink = 0;
        for (int t = 0; t < 50_000; t++) {
            ALL.encode(t, t * 60_000L, (t - 1) * 60_000L, 60_000, out);
            sink += out[5];
        }
        long threadId = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(threadId);
        for (int t = 0; t < 50_000; t++) {
            ALL.encode(t, t * 60_000L, (t - 1) * 60_000L, 60_000, out);
            sink += out[5];
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(Double.isFinite(sink));
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over 50,000 encodes");
    }

    @Test
    void parseShouldAcceptIdsInAnyOrderAndCaseAndRoundTripThroughIds() {
        InputEncoding parsed = InputEncoding.parse(" GAP , value,Time-Of-Day ");
        assertEquals(new InputEncoding(true, false, true), parsed);
        assertEquals(List.of("value", "time-of-day", "gap"), parsed.ids());
        assertEquals(parsed, InputEncoding.parse(parsed.toString()));
        assertEquals(InputEncoding.VALUE_ONLY, InputEncoding.parse("value"));
        assertEquals(ALL, InputEncoding.parse("value,time-of-day,day-of-week,gap"));
        assertEquals("value,time-of-day,day-of-week,gap", ALL.toString());
    }

    @Test
    void parseShouldRejectBadListsWithClearMessages() {
        assertMessage("must include 'value'", () -> InputEncoding.parse("time-of-day,gap"));
        assertMessage("valid inputs are: value, time-of-day, day-of-week, gap",
                () -> InputEncoding.parse("value,hour"));
        assertMessage("more than once", () -> InputEncoding.parse("value,gap,gap"));
        assertMessage("empty entry", () -> InputEncoding.parse("value,,gap"));
        assertMessage("must not be empty", () -> InputEncoding.parse(" "));
        assertMessage("must not be empty", () -> InputEncoding.parse(null));
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(error.getMessage().contains(fragment), error.getMessage());
    }
}
