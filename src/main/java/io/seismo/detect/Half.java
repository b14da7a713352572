package io.seismo.detect;

/**
 * IEEE 754 half precision (binary16: a sign, 5 exponent bits, 10 mantissa bits; about 3.3 significant digits, normal
 * numbers from 6.1e-5 to 65504) to and from {@code float}, rounding to nearest, ties to even. Java 17 has no such
 * conversion. Every half converts to a float exactly, so {@code fromFloat(toFloat(h)) == h} for every non-NaN half.
 */
public final class Half {
    /** The half bits of positive infinity. */
    public static final short POSITIVE_INFINITY = 0x7c00;

    private Half() {
    }

    /** The half nearest to {@code f} (ties to even); beyond 65504 (from 65520 on), an infinity of its sign. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
        }
        if (abs >= 0x477ff000) {
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) {
            // Below 2^-14: a subnormal half, in units of 2^-24 (the product is exact in double; rint ties to even).
            return (short) (sign | (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24));
        }
        int h = (((abs >>> 23) - 112) << 10) | ((abs >>> 13) & 0x3ff);
        int rest = abs & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (h & 1) == 1)) {
            h++; // a carry out of the mantissa moves the exponent up, as it should
        }
        return (short) (sign | h);
    }

    /** The float equal to half {@code h}. */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float v = mantissa * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
