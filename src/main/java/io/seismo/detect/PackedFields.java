package io.seismo.detect;

/**
 * Writes, counts or reads a state's fields in the store's packed layout (little-endian; see {@link StateFields} for
 * how each kind is stored per layout). Writing and counting support the layouts from 5 on; reading, every layout.
 * Allocates nothing, except an array read that does not fit the state's own.
 */
public final class PackedFields extends StateFields {
    /** The oldest layout that can be written (older ones are only read). */
    public static final int OLDEST_WRITTEN = 5;
    private static final int HALF_TOP_EXPONENT = 14;
    /** A half NaN: the value follows as a float (it lies too far below the array's largest to keep its digits as a half). */
    private static final short ESCAPE = 0x7e00;

    private final PackedBytes b;
    private final boolean reading;
    private final boolean compact;

    private PackedFields(PackedBytes b, int layout, boolean reading) {
        super(layout);
        this.b = b;
        this.reading = reading;
        this.compact = layout >= COMPACT;
    }

    /** Writes to {@code b} in {@code layout}; with a counting {@code b} ({@link PackedBytes#counting()}), counts. */
    public static PackedFields writer(PackedBytes b, int layout) {
        if (layout < OLDEST_WRITTEN) {
            throw new IllegalArgumentException("layout " + layout + " is read, never written");
        }
        return new PackedFields(b, layout, false);
    }

    /** Reads from {@code b}, written in {@code layout}. */
    public static PackedFields reader(PackedBytes b, int layout) {
        return new PackedFields(b, layout, true);
    }

    @Override
    public boolean reading() {
        return reading;
    }

    @Override
    public long int64(String name, long v) {
        if (reading) {
            return b.getLong();
        }
        b.putLong(v);
        return v;
    }

    @Override
    public long count(String name, long v) {
        if (!compact) {
            return int64(name, v);
        }
        if (reading) {
            return b.getVarLong();
        }
        b.putVarLong(v);
        return v;
    }

    @Override
    public int int32(String name, int v) {
        if (reading) {
            if (!compact) {
                return b.getInt();
            }
            long read = b.getZigZag();
            if (read != (int) read) {
                throw new IllegalArgumentException("packed state: " + name + " out of int range: " + read);
            }
            return (int) read;
        }
        if (compact) {
            b.putZigZag(v);
        } else {
            b.putInt(v);
        }
        return v;
    }

    @Override
    public double float64(String name, double v) {
        if (reading) {
            return b.getDouble();
        }
        b.putDouble(v);
        return v;
    }

    @Override
    public double float64(String name, double v, double usual) {
        if (!compact) {
            return float64(name, v);
        }
        if (reading) {
            return b.get() == 0 ? usual : b.getDouble();
        }
        if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(usual)) {
            b.put((byte) 0);
        } else {
            b.put((byte) 1).putDouble(v);
        }
        return v;
    }

    @Override
    public double[] ranged(String name, double[] v, int length) {
        if (!compact) {
            return doubles(name, v, length);
        }
        if (layout() < RANGED) {
            return halfSteps(name, v, length);
        }
        if (reading) {
            int n = storedLength(name, 2);
            double[] into = n <= v.length ? v : new double[n];
            if (n > 0) {
                double low = b.getDouble();
                double high = b.getDouble();
                b.getFractions(into, n, low, high);
            }
            return into;
        }
        putLength(length);
        if (length > 0) {
            double low = v[0];
            double high = v[0];
            for (int i = 1; i < length; i++) {
                double x = v[i];
                low = x < low ? x : low;
                high = x > high ? x : high;
            }
            b.putDouble(low).putDouble(high).putFractions(v, length, low, high);
        }
        return v;
    }

    /** Layout 6's {@link #ranged}: the first value in full, then half steps, each from the previous value as stored. */
    private double[] halfSteps(String name, double[] v, int length) {
        if (reading) {
            int n = storedLength(name, 2);
            double[] into = n <= v.length ? v : new double[n];
            if (n > 0) {
                into[0] = b.getDouble();
                double up = powerOfTwo((int) b.getZigZag());
                for (int i = 1; i < n; i++) {
                    into[i] = into[i - 1] + Half.toFloat(b.getShort()) * up;
                }
            }
            return into;
        }
        putLength(length);
        if (length > 0) {
            b.putDouble(v[0]);
            float max = 0;
            for (int i = 1; i < length; i++) {
                max = Math.max(max, (float) Math.abs(v[i] - v[i - 1]));
            }
            int scale = halfScale(max);
            b.putZigZag(scale);
            double down = powerOfTwo(-scale);
            double up = powerOfTwo(scale);
            double previous = v[0];
            for (int i = 1; i < length; i++) {
                short step = Half.fromFloat((float) ((v[i] - previous) * down));
                b.putShort(step);
                previous += Half.toFloat(step) * up;
            }
        }
        return v;
    }

    @Override
    public double float32(String name, double v) {
        if (!compact) {
            return float64(name, v);
        }
        if (reading) {
            return b.getFloat();
        }
        b.putFloat((float) v);
        return v;
    }

    @Override
    public boolean bool(String name, boolean v) {
        if (reading) {
            return b.get() == 1;
        }
        b.put((byte) (v ? 1 : 0));
        return v;
    }

    @Override
    public long time(String name, long v, long none) {
        return int64(name, v);
    }

    @Override
    public double derived(String name, double v) {
        return compact ? v : float64(name, v);
    }

    @Override
    public double[] doubles(String name, double[] v, int length) {
        if (reading) {
            int n = storedLength(name, compact ? 4 : 8);
            double[] into = n <= v.length ? v : new double[n];
            if (compact) {
                b.getFloatsAsDoubles(into, n);
            } else {
                b.getDoubles(into, n);
            }
            return into;
        }
        putLength(length);
        if (compact) {
            b.putDoublesAsFloats(v, length);
        } else {
            b.putDoubles(v, length);
        }
        return v;
    }

    @Override
    public float[] floats(String name, float[] v, int length) {
        if (reading) {
            int n = storedLength(name, 4);
            float[] into = n <= v.length ? v : new float[n];
            b.getFloats(into, n);
            return into;
        }
        putLength(length);
        b.putFloats(v, length);
        return v;
    }

    @Override
    public float[] halves(String name, float[] v, int length) {
        if (!compact) {
            return floats(name, v, length);
        }
        if (reading) {
            int n = storedLength(name, 2);
            float[] into = n <= v.length ? v : new float[n];
            int scale = n == 0 ? 0 : (int) b.getZigZag();
            double up = powerOfTwo(scale);
            for (int i = 0; i < n; i++) {
                short h = b.getShort();
                into[i] = h == ESCAPE ? b.getFloat() : fromHalf(h, up);
            }
            return into;
        }
        putLength(length);
        if (length > 0) {
            int scale = halfScale(v, length);
            b.putZigZag(scale);
            double down = powerOfTwo(-scale);
            for (int i = 0; i < length; i++) {
                putHalf(v[i], down);
            }
        }
        return v;
    }

    @Override
    public float[] floatsWhere(String name, float[] v, int length, byte[] where, boolean halves) {
        if (!compact) {
            return floats(name, v, length);
        }
        if (reading) {
            int n = storedLength(name, 0);
            if (n > v.length || n > where.length) {
                throw new IllegalArgumentException("packed state: " + name + " holds " + n + " values, at most " + Math.min(v.length, where.length));
            }
            double up = powerOfTwo(halves && n > 0 ? (int) b.getZigZag() : 0);
            for (int i = 0; i < n; i++) {
                if (where[i] == 0) {
                    v[i] = 0;
                } else if (!halves) {
                    v[i] = b.getFloat();
                } else {
                    short h = b.getShort();
                    v[i] = h == ESCAPE ? b.getFloat() : fromHalf(h, up);
                }
            }
            return v;
        }
        putLength(length);
        double down = 1;
        if (halves && length > 0) {
            int scale = halfScale(v, length);
            b.putZigZag(scale);
            down = powerOfTwo(-scale);
        }
        for (int i = 0; i < length; i++) {
            if (where[i] == 0) {
                continue;
            }
            if (halves) {
                putHalf(v[i], down);
            } else {
                b.putFloat(v[i]);
            }
        }
        return v;
    }

    @Override
    public byte[] nibbles(String name, byte[] v, int length) {
        if (reading) {
            int n = storedLength(name, compact ? 0 : 1);
            byte[] into = n <= v.length ? v : new byte[n];
            if (compact) {
                for (int i = 0; i < n; i += 2) {
                    byte pair = b.get();
                    into[i] = (byte) (pair & 0xf);
                    if (i + 1 < n) {
                        into[i + 1] = (byte) ((pair >>> 4) & 0xf);
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    into[i] = (byte) Math.max(0, Math.min(15, b.get()));
                }
            }
            return into;
        }
        putLength(length);
        if (compact) {
            for (int i = 0; i < length; i += 2) {
                int high = i + 1 < length ? nibble(v[i + 1]) : 0;
                b.put((byte) (nibble(v[i]) | high << 4));
            }
        } else {
            for (int i = 0; i < length; i++) {
                b.put(v[i]);
            }
        }
        return v;
    }

    @Override
    public void begin(String name) {
    }

    @Override
    public void end() {
    }

    private static int nibble(byte v) {
        return Math.max(0, Math.min(15, v));
    }

    private void putLength(int n) {
        length(n);
        if (compact) {
            b.putVarLong(n);
        } else {
            b.putInt(n);
        }
    }

    private int storedLength(String name, int minBytesPerValue) {
        long n = compact ? b.getVarLong() : b.getInt();
        long room = minBytesPerValue == 0 ? 2L * b.remaining() : b.remaining() / minBytesPerValue;
        if (n < 0 || n > room) {
            throw new IllegalArgumentException("packed state: bad length " + n + " of " + name);
        }
        length((int) n);
        return (int) n;
    }

    /**
     * The power of two the array's halves are scaled by: the largest magnitude (other than the kept
     * {@code Float.MAX_VALUE}) lands in [2^14, 2^15], so nothing overflows and, re-written after a read, the array
     * gets the same scale and the same halves.
     */
    static int halfScale(float[] v, int length) {
        float max = 0;
        for (int i = 0; i < length; i++) {
            float a = Math.abs(v[i]);
            if (a != Float.MAX_VALUE && a > max) {
                max = a;
            }
        }
        return halfScale(max);
    }

    private static int halfScale(float max) {
        if (!(max > 0) || Float.isInfinite(max)) {
            return 0;
        }
        int scale = Math.getExponent(max) - HALF_TOP_EXPONENT;
        if (Half.toFloat(Half.fromFloat(Math.scalb(max, -scale))) >= 0x1p15f) {
            scale++;
        }
        return scale;
    }

    /**
     * Writes {@code v} times {@code down} (a power of two) as a half; {@code ±Float.MAX_VALUE} as a half infinity; and a
     * value that is not 0 and that, scaled, would be a subnormal half (below 2^-14 of the array's largest, where it would
     * lose its digits) as an escape and the float. A threshold's errors can span 18 orders of magnitude when a flat
     * series first moves (they are measured against the floor of its deviation).
     */
    private void putHalf(float v, double down) {
        float a = Math.abs(v);
        if (a == Float.MAX_VALUE) {
            b.putShort((short) (v > 0 ? Half.POSITIVE_INFINITY : Half.POSITIVE_INFINITY | 0x8000));
            return;
        }
        double scaled = v * down; // exact: a power of two, in double's range
        if (a != 0 && Math.abs(scaled) < 0x1p-14) {
            b.putShort(ESCAPE).putFloat(v);
            return;
        }
        b.putShort(Half.fromFloat((float) scaled));
    }

    private static float fromHalf(short h, double up) {
        float f = Half.toFloat(h);
        if (Float.isInfinite(f)) {
            return f > 0 ? Float.MAX_VALUE : -Float.MAX_VALUE;
        }
        return (float) (f * up);
    }

    /** 2^k as a double (k within a float's exponents and the half scale's offset: far inside a double's). */
    private static double powerOfTwo(int k) {
        if (k < -1000 || k > 1000) {
            throw new IllegalArgumentException("packed state: bad scale 2^" + k);
        }
        return Double.longBitsToDouble((long) (k + 1023) << 52);
    }
}
