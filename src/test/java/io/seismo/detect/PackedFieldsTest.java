package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PackedFieldsTest {
    /** A component of a few fields of every kind, as a state's components declare theirs. */
    private static final class Sample {
        long counter;
        int small;
        double usual = 1;
        float[] halves = new float[8];
        double[] steps = new double[16];
        byte[] counts = new byte[5];

        void fields(StateFields f) {
            counter = f.count("counter", counter);
            small = f.int32("small", small);
            usual = f.float64("usual", usual, 1);
            halves = f.halves("halves", halves, halves.length);
            steps = f.ranged("steps", steps, steps.length);
            counts = f.nibbles("counts", counts, counts.length);
        }

        byte[] write(int layout) {
            PackedBytes counter = new PackedBytes().counting();
            fields(PackedFields.writer(counter, layout));
            byte[] bytes = new byte[counter.position()];
            fields(PackedFields.writer(new PackedBytes().wrap(bytes), layout));
            return bytes;
        }

        Sample read(byte[] bytes, int layout) {
            PackedBytes b = new PackedBytes().wrap(bytes);
            fields(PackedFields.reader(b, layout));
            assertEquals(0, b.remaining());
            return this;
        }
    }

    @Test
    void shouldWriteWhatItCountsAndReadBackTheSameBytes() {
        Random random = new Random(6);
        for (int round = 0; round < 200; round++) {
            Sample s = new Sample();
            s.counter = round % 3 == 0 ? Long.MAX_VALUE >> random.nextInt(63) : random.nextInt(300);
            s.small = random.nextInt() >> random.nextInt(32);
            s.usual = round % 2 == 0 ? 1 : random.nextGaussian();
            for (int i = 0; i < s.halves.length; i++) {
                s.halves[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
            }
            s.halves[round % 8] = Float.MAX_VALUE;
            double v = 1e6 * random.nextGaussian();
            for (int i = 0; i < s.steps.length; i++) {
                v += random.nextGaussian() * (i == 7 ? 1000 : 1);
                s.steps[i] = v;
            }
            for (int i = 0; i < s.counts.length; i++) {
                s.counts[i] = (byte) random.nextInt(16);
            }
            for (int layout = StateFields.COMPACT; layout <= SeriesState.LAYOUT; layout++) {
                byte[] first = s.write(layout);
                Sample back = new Sample().read(first, layout);
                assertArrayEquals(first, back.write(layout), "read back and written again, the same bytes, layout " + layout);
                assertEquals(s.counter, back.counter);
                assertEquals(s.small, back.small);
                assertEquals(s.usual, back.usual, 0.0);
                assertArrayEquals(s.counts, back.counts);
                assertEquals(Float.MAX_VALUE, back.halves[round % 8], 0.0, "kept exactly");
                for (int i = 0; i < s.halves.length; i++) {
                    // 3 significant digits, however far below the largest (it spans 12 orders of magnitude here).
                    assertEquals(s.halves[i], back.halves[i], Math.abs(s.halves[i]) * 0x1p-11, "half " + i);
                }
                if (layout < StateFields.RANGED) {
                    assertEquals(s.steps[0], back.steps[0], 0.0, "the first value in full");
                    for (int i = 1; i < s.steps.length; i++) {
                        // Each value within half a unit of the last digit of its step from the previous value as
                        // stored: the rounding does not add up along the array.
                        double step = Math.abs(s.steps[i] - back.steps[i - 1]);
                        assertEquals(s.steps[i], back.steps[i], step * 0x1p-11 + 1e-9 * Math.abs(s.steps[i]), "value " + i);
                    }
                } else {
                    double low = java.util.Arrays.stream(s.steps).min().orElseThrow();
                    double high = java.util.Arrays.stream(s.steps).max().orElseThrow();
                    assertEquals(low, java.util.Arrays.stream(back.steps).min().orElseThrow(), 0.0, "the smallest in full");
                    assertEquals(high, java.util.Arrays.stream(back.steps).max().orElseThrow(), 0.0, "the largest in full");
                    for (int i = 0; i < s.steps.length; i++) {
                        // Within half of a 65,535th of the range (and the doubles' own rounding of values near 1e6).
                        assertEquals(s.steps[i], back.steps[i], (high - low) * 0x1p-17 + 1e-9 * Math.abs(s.steps[i]), "value " + i);
                    }
                }
            }
            Sample full = new Sample().read(s.write(5), 5);
            assertArrayEquals(s.steps, full.steps, "layout 5 kept everything in full");
            assertArrayEquals(s.halves, full.halves);
        }
    }

    @Test
    void shouldReadAnArrayLongerThanTheStatesIntoANewOne() {
        Sample big = new Sample();
        big.steps = new double[40];
        Sample small = new Sample();
        double[] own = small.steps;
        for (int layout : new int[] {6, SeriesState.LAYOUT}) {
            small.steps = own;
            small.read(big.write(layout), layout);
            assertEquals(40, small.steps.length);
            assertSame(own.getClass(), small.steps.getClass());
        }
    }

    @Test
    void shouldStoreAFlatArrayAndOneOfExtremeRangeAsFractions() {
        Sample flat = new Sample();
        java.util.Arrays.fill(flat.steps, -3.25);
        assertArrayEquals(flat.steps, new Sample().read(flat.write(SeriesState.LAYOUT), SeriesState.LAYOUT).steps, "a flat array exactly");
        Sample wide = new Sample();
        for (int i = 0; i < wide.steps.length; i++) {
            wide.steps[i] = i % 2 == 0 ? -1e15 : 1e15 - i;
        }
        double[] back = new Sample().read(wide.write(SeriesState.LAYOUT), SeriesState.LAYOUT).steps;
        for (int i = 0; i < back.length; i++) {
            assertEquals(wide.steps[i], back[i], 2e15 * 0x1p-17, "value " + i);
        }
        assertEquals(-1e15, back[0], 0.0, "the smallest exactly");
        assertEquals(1e15 - 1, back[1], 0.0, "the largest exactly");
    }

    @Test
    void shouldRefuseALengthBeyondTheBytesLeft() {
        byte[] bytes = new Sample().write(6);
        bytes[bytes.length - 4] = 100; // the counts' length
        assertThrows(IllegalArgumentException.class, () -> new Sample().read(bytes, 6));
    }

    @Test
    void shouldRoundTripVarints() {
        long[] values = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        byte[] bytes = new byte[200];
        PackedBytes b = new PackedBytes().wrap(bytes);
        for (long v : values) {
            b.putVarLong(v).putZigZag(v);
        }
        int written = b.position();
        PackedBytes count = new PackedBytes().counting();
        for (long v : values) {
            count.putVarLong(v).putZigZag(v);
        }
        assertEquals(written, count.position());
        b.wrap(bytes);
        for (long v : values) {
            assertEquals(v, b.getVarLong());
            assertEquals(v, b.getZigZag());
        }
        assertEquals(1, PackedBytes.varLongSize(127));
        assertEquals(2, PackedBytes.varLongSize(128));
        assertEquals(10, PackedBytes.varLongSize(-1));
    }
}
