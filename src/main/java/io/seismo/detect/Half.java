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
        // Round the float's 23 mantissa bits to the half's 10 on the bits themselves, ties to even, without a branch
        // (the rounding direction is as random as the data): a carry out of the mantissa moves the exponent up, as
        // it should; then re-bias the exponent from 127 to 15.
        int rounded = abs + 0xfff + ((abs >>> 13) & 1);
        return (short) (sign | ((rounded >>> 13) - (112 << 10)));
    }

    /** The float equal to half {@code h}. */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int magnitude = bits & 0x7fff;
        if (magnitude >= 0x7c00) {
            return Float.intBitsToFloat(sign | 0x7f800000 | ((magnitude & 0x3ff) << 13));
        }
        // The half's bits shifted into a float's place are the value times 2^-112, subnormals included (as a float
        // subnormal): one exact multiplication re-biases every finite half, with no branch on zero or subnormal.
        return Float.intBitsToFloat(sign | Float.floatToRawIntBits(Float.intBitsToFloat(magnitude << 13) * 0x1p112f));
    }
}
