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

    private byte[] bytes = new byte[0];
    private int position;

    /** Points the cursor at the start of {@code array}. */
    public PackedBytes wrap(byte[] array) {
        bytes = array;
        position = 0;
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
        check(1);
        bytes[position++] = v;
        return this;
    }

    public PackedBytes putInt(int v) {
        check(4);
        INT.set(bytes, position, v);
        position += 4;
        return this;
    }

    public PackedBytes putLong(long v) {
        check(8);
        LONG.set(bytes, position, v);
        position += 8;
        return this;
    }

    public PackedBytes putFloat(float v) {
        return putInt(Float.floatToRawIntBits(v));
    }

    public PackedBytes putDouble(double v) {
        return putLong(Double.doubleToRawLongBits(v));
    }

    /** Writes {@code v[0..length)} as little-endian floats, with one bounds check. */
    public PackedBytes putFloats(float[] v, int length) {
        check(4L * length);
        byte[] a = bytes;
        int p = position;
        for (int i = 0; i < length; i++, p += 4) {
            INT.set(a, p, Float.floatToRawIntBits(v[i]));
        }
        position = p;
        return this;
    }

    /** Writes {@code v[0..length)} as little-endian doubles, with one bounds check. */
    public PackedBytes putDoubles(double[] v, int length) {
        check(8L * length);
        byte[] a = bytes;
        int p = position;
        for (int i = 0; i < length; i++, p += 8) {
            LONG.set(a, p, Double.doubleToRawLongBits(v[i]));
        }
        position = p;
        return this;
    }

    /** Reads {@code length} little-endian floats into {@code into[0..length)}, with one bounds check. */
    public void getFloats(float[] into, int length) {
        check(4L * length);
        byte[] a = bytes;
        int p = position;
        for (int i = 0; i < length; i++, p += 4) {
            into[i] = Float.intBitsToFloat((int) INT.get(a, p));
        }
        position = p;
    }

    /** Reads {@code length} little-endian doubles into {@code into[0..length)}, with one bounds check. */
    public void getDoubles(double[] into, int length) {
        check(8L * length);
        byte[] a = bytes;
        int p = position;
        for (int i = 0; i < length; i++, p += 8) {
            into[i] = Double.longBitsToDouble((long) LONG.get(a, p));
        }
        position = p;
    }

    public byte get() {
        check(1);
        return bytes[position++];
    }

    public int getInt() {
        check(4);
        int v = (int) INT.get(bytes, position);
        position += 4;
        return v;
    }

    public long getLong() {
        check(8);
        long v = (long) LONG.get(bytes, position);
        position += 8;
        return v;
    }

    public float getFloat() {
        return Float.intBitsToFloat(getInt());
    }

    public double getDouble() {
        return Double.longBitsToDouble(getLong());
    }

    private void check(long n) {
        if (n < 0 || bytes.length - position < n) {
            throw new IllegalArgumentException("packed state ends early: " + n + " bytes needed at " + position + " of " + bytes.length);
        }
    }
}
