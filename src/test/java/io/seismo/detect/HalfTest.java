package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class HalfTest {
    @Test
    void shouldConvertKnownValues() {
        assertEquals(0x3c00, Half.fromFloat(1f));
        assertEquals((short) 0xc000, Half.fromFloat(-2f));
        assertEquals(0x7bff, Half.fromFloat(65504f));
        assertEquals(0x7bff, Half.fromFloat(65519f), "below the midpoint to 65536: the largest half");
        assertEquals(Half.POSITIVE_INFINITY, Half.fromFloat(65520f), "the midpoint ties to even: infinity");
        assertEquals(0x0001, Half.fromFloat(0x1p-24f), "the smallest subnormal");
        assertEquals(0x0000, Half.fromFloat(0x1p-25f), "half the smallest subnormal ties to even: zero");
        assertEquals(0x0400, Half.fromFloat(0x1p-14f), "the smallest normal");
        assertEquals(0x2e66, Half.fromFloat(0.1f));
        assertEquals(0.0999755859375f, Half.toFloat((short) 0x2e66));
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
        assertEquals(Float.NEGATIVE_INFINITY, Half.toFloat(Half.fromFloat(Float.NEGATIVE_INFINITY)));
    }

    @Test
    void shouldReadBackEveryHalfExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, Half.fromFloat(f), "half " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void shouldRoundToTheNearestHalfTiesToEvenAsANaiveSearchDoes() {
        // The reference: every finite half, sorted; the nearest by search, a tie going to the even mantissa.
        float[] halves = new float[0x7c00];
        for (int h = 0; h < 0x7c00; h++) {
            halves[h] = Half.toFloat((short) h);
        }
        Random random = new Random(16);
        for (int i = 0; i < 200_000; i++) {
            float f = i % 2 == 0 ? Float.intBitsToFloat(0x33000000 + random.nextInt(0x477ff000 - 0x33000000))
                    : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
            float a = Math.abs(f);
            if (a >= 65520f) {
                continue;
            }
            int at = Arrays.binarySearch(halves, a);
            int expected;
            if (at >= 0) {
                expected = at;
            } else {
                int above = -at - 1;
                int below = above - 1;
                double down = a - (double) halves[below];
                double up = above < halves.length ? (double) halves[above] - a : Double.POSITIVE_INFINITY;
                expected = down < up ? below : up < down ? above : (below % 2 == 0 ? below : above);
            }
            int sign = f < 0 ? 0x8000 : 0;
            assertEquals((short) (expected | sign), Half.fromFloat(f), "float " + f);
        }
    }

    @Test
    void shouldRoundEveryExactTieToTheEvenHalfAndItsNeighboursToTheNearer() {
        // Midways between adjacent finite halves are exact floats; one float ulp either side must go to the nearer half.
        for (int h = 0; h < 0x7bff; h++) {
            float below = Half.toFloat((short) h);
            float above = Half.toFloat((short) (h + 1));
            float tie = (below + above) / 2;
            int even = h % 2 == 0 ? h : h + 1;
            for (int sign : new int[] {0, 0x8000}) {
                float s = sign == 0 ? 1 : -1;
                assertEquals((short) (even | sign), Half.fromFloat(s * tie), "tie above half " + Integer.toHexString(h));
                assertEquals((short) (h | sign), Half.fromFloat(s * Math.nextDown(tie)), "just below the tie above " + Integer.toHexString(h));
                assertEquals((short) ((h + 1) | sign), Half.fromFloat(s * Math.nextUp(tie)), "just above the tie above " + Integer.toHexString(h));
            }
        }
    }
}
