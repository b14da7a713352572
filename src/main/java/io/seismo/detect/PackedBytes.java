package io.seismo.detect;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A little-endian read/write cursor over a byte array, for the store's binary layout of a series' state. Unlike a
 * {@link java.nio.ByteBuffer}, one instance is pointed at array after array ({@link #wrap}), so reading and writing a
 * state allocates nothing. Not thread-safe.
 */
public final class PackedBytes {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes = new byte[0];
    private int position;
    /** Whether writes only count their bytes (see {@link #counting()}). */
    private boolean counting;
    /** Whether writes grow the array when it is full (see {@link #growing}). */
    private boolean growing;

    /** Points the cursor at the start of {@code array}. */
    public PackedBytes wrap(byte[] array) {
        bytes = array;
        position = 0;
        counting = false;
        growing = false;
        return this;
    }

    /**
     * Points the cursor at the start of {@code scratch} for writing, replacing it by a larger copy whenever a write
     * would not fit ({@link #array()} is then the one written): a state of unknown size written in one pass, into a
     * buffer kept from write to write.
     */
    public PackedBytes growing(byte[] scratch) {
        wrap(scratch);
        growing = true;
        return this;
    }

    /** The array written or read (after {@link #growing} writes, possibly a larger one than given). */
    public byte[] array() {
        return bytes;
    }

    /**
     * Points the cursor at no array: writes only advance {@link #position()}, which then is the number of bytes they
     * would have written (how a layout's size is counted by the same code that writes it). Reads fail.
     */
    public PackedBytes counting() {
        bytes = new byte[0];
        position = 0;
        counting = true;
        growing = false;
        return this;
    }

    public int position() {
        return position;
    }

    public void position(int p) {
        if (p < 0 || p > bytes.length) {
            throw new IllegalArgumentException("position " + p + " outside " + bytes.length + " bytes");
        }
        position = p;
    }

    public int remaining() {
        return bytes.length - position;
    }

    public boolean hasRemaining() {
        return position < bytes.length;
    }

    public PackedBytes put(byte v) {
        int p = claim(1);
        if (p >= 0) {
            bytes[p] = v;
        }
        return this;
    }

    public PackedBytes putShort(short v) {
        int p = claim(2);
        if (p >= 0) {
            SHORT.set(bytes, p, v);
        }
        return this;
    }

    public PackedBytes putInt(int v) {
        int p = claim(4);
        if (p >= 0) {
            INT.set(bytes, p, v);
        }
        return this;
    }

    public PackedBytes putLong(long v) {
        int p = claim(8);
        if (p >= 0) {
            LONG.set(bytes, p, v);
        }
        return this;
    }

    /** Writes {@code v} as an unsigned LEB128 varint: 7 bits a byte, low first; 1 byte below 128, at most 10. */
    public PackedBytes putVarLong(long v) {
        if ((v & ~0x7fL) == 0) {
            return put((byte) v);
        }
        while ((v & ~0x7fL) != 0) {
            put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        return put((byte) v);
    }

    /** Writes {@code v} zig-zag encoded ({@code 0, -1, 1, -2, ...} as {@code 0, 1, 2, 3, ...}) as a varint. */
    public PackedBytes putZigZag(long v) {
        return putVarLong((v << 1) ^ (v >> 63));
    }

    /** Bytes {@link #putVarLong} writes for {@code v}. */
    public static int varLongSize(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    public PackedBytes putFloat(float v) {
        return putInt(Float.floatToRawIntBits(v));
    }

    public PackedBytes putDouble(double v) {
        return putLong(Double.doubleToRawLongBits(v));
    }

    /** Writes {@code v[0..length)} as little-endian floats, with one bounds check. */
    public PackedBytes putFloats(float[] v, int length) {
        int p = claim(4L * length);
        if (p >= 0) {
            byte[] a = bytes;
            for (int i = 0; i < length; i++, p += 4) {
                INT.set(a, p, Float.floatToRawIntBits(v[i]));
            }
        }
        return this;
    }

    /** Writes {@code v[0..length)} rounded to little-endian floats, with one bounds check. */
    public PackedBytes putDoublesAsFloats(double[] v, int length) {
        int p = claim(4L * length);
        if (p >= 0) {
            byte[] a = bytes;
            for (int i = 0; i < length; i++, p += 4) {
                INT.set(a, p, Float.floatToRawIntBits((float) v[i]));
            }
        }
        return this;
    }

    /** Reads {@code length} little-endian floats into {@code into[0..length)} as doubles, with one bounds check. */
    public void getFloatsAsDoubles(double[] into, int length) {
        byte[] a = bytes;
        for (int i = 0, p = take(4L * length); i < length; i++, p += 4) {
            into[i] = Float.intBitsToFloat((int) INT.get(a, p));
        }
    }

    /**
     * Writes each of {@code v[0..length)}, all within {@code [low, high]}, as the nearest of 65,536 evenly spaced points
     * from {@code low} (0) to {@code high} (65535), a little-endian unsigned short; with one bounds check. A range that
     * is 0 or not finite writes every value as 0.
     */
    public PackedBytes putFractions(double[] v, int length, double low, double high) {
        int p = claim(2L * length);
        if (p >= 0) {
            double unit = fractionUnit(low, high);
            double per = unit == 0 ? 0 : 1 / unit;
            byte[] a = bytes;
            for (int i = 0; i < length; i++, p += 2) {
                int q = (int) ((v[i] - low) * per + 0.5);
                SHORT.set(a, p, (short) Math.max(0, Math.min(0xffff, q)));
            }
        }
        return this;
    }

    /**
     * Reads {@code length} values written by {@link #putFractions} with the same {@code low} and {@code high} into
     * {@code into[0..length)}: the ends exactly, the points between within half a step; with one bounds check.
     */
    public void getFractions(double[] into, int length, double low, double high) {
        double unit = fractionUnit(low, high);
        byte[] a = bytes;
        for (int i = 0, p = take(2L * length); i < length; i++, p += 2) {
            int q = (short) SHORT.get(a, p) & 0xffff;
            into[i] = q == 0xffff ? high : low + q * unit;
        }
    }

    /** The step between {@link #putFractions}' points; 0 for a range that is 0 or not finite. */
    private static double fractionUnit(double low, double high) {
        double unit = (high - low) / 0xffff;
        return Double.isFinite(unit) && unit > 0 ? unit : 0;
    }

    /** Writes {@code v[0..length)} as little-endian doubles, with one bounds check. */
    public PackedBytes putDoubles(double[] v, int length) {
        int p = claim(8L * length);
        if (p >= 0) {
            byte[] a = bytes;
            for (int i = 0; i < length; i++, p += 8) {
                LONG.set(a, p, Double.doubleToRawLongBits(v[i]));
            }
        }
        return this;
    }

    /** Reads {@code length} little-endian floats into {@code into[0..length)}, with one bounds check. */
    public void getFloats(float[] into, int length) {
        byte[] a = bytes;
        for (int i = 0, p = take(4L * length); i < length; i++, p += 4) {
            into[i] = Float.intBitsToFloat((int) INT.get(a, p));
        }
    }

    /** Reads {@code length} little-endian doubles into {@code into[0..length)}, with one bounds check. */
    public void getDoubles(double[] into, int length) {
        byte[] a = bytes;
        for (int i = 0, p = take(8L * length); i < length; i++, p += 8) {
            into[i] = Double.longBitsToDouble((long) LONG.get(a, p));
        }
    }

    public byte get() {
        return bytes[take(1)];
    }

    public short getShort() {
        return (short) SHORT.get(bytes, take(2));
    }

    /** Reads a varint written by {@link #putVarLong}. */
    public long getVarLong() {
        if (position < bytes.length && bytes[position] >= 0) {
            return bytes[position++];
        }
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = get();
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("packed state: varint longer than 10 bytes at " + position);
    }

    /** Reads a value written by {@link #putZigZag}. */
    public long getZigZag() {
        long v = getVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    public int getInt() {
        return (int) INT.get(bytes, take(4));
    }

    public long getLong() {
        return (long) LONG.get(bytes, take(8));
    }

    public float getFloat() {
        return Float.intBitsToFloat(getInt());
    }

    public double getDouble() {
        return Double.longBitsToDouble(getLong());
    }

    /**
     * Makes room for a write of {@code n} bytes and moves the position past them: returns where they go, or -1 in
     * counting mode, where nothing is written. Read {@link #bytes} only after this call: growing may replace it.
     */
    private int claim(long n) {
        if (counted(n)) {
            return -1;
        }
        int p = position;
        position = p + (int) n;
        return p;
    }

    /** Checks that {@code n} bytes are left to read and moves the position past them; returns where they start. */
    private int take(long n) {
        check(n);
        int p = position;
        position = p + (int) n;
        return p;
    }

    /** In counting mode, counts {@code n} bytes and returns true; otherwise checks that they fit. */
    private boolean counted(long n) {
        if (bytes.length - position >= n) {
            return false; // room left: never so in counting mode, where the array is empty (n = 0 writes nothing)
        }
        if (counting) {
            position += (int) n;
            return true;
        }
        if (growing && bytes.length - position < n) {
            bytes = java.util.Arrays.copyOf(bytes, (int) Math.max(2L * bytes.length, position + n));
        }
        check(n);
        return false;
    }

    private void check(long n) {
        if (n < 0 || bytes.length - position < n) {
            throw new IllegalArgumentException("packed state ends early: " + n + " bytes needed at " + position + " of " + bytes.length);
        }
    }
}
