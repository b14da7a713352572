package io.seismo.stream;

import io.seismo.detect.DetectorSettings;
import io.seismo.detect.PackedBytes;
import io.seismo.detect.SeriesState;

/**
 * The per-series state as the store keeps it: a fixed little-endian binary layout, written and read in one pass with
 * no per-element objects (the Avro {@code SeriesState} record, with its boxed arrays, cost tens of kilobytes of
 * garbage per reading). The Avro record stays the documented, readable view of the same fields
 * ({@link #toAvro}). Layout version 4: a version byte, then the fields in the order of
 * {@link SeriesState#writePacked}; arrays are an int length followed by the elements. Version 2 appended the anomaly
 * likelihood's state (600 bytes), the last reading's score (8) and the operators' feedback (threshold factor, false
 * alarms, confirmations: 16); a version 1 state is read with a fresh likelihood, a score of 0 and no feedback. Version 3 appended the stuck-run habit
 * (the last stuck run's value, the habitual value and its run: 20 bytes); a version 2 state is read without a habit. Version 4
 * dropped the likelihood's readings-since-alarm counter (4 bytes), keeps the likelihood's rings oldest first and appended the
 * episode's hold (age, held, offset, offset readings: 17 bytes); a version 3 state is read with its rings put in order and an
 * open episode not held. {@link #decodeInto} reads a state
 * into an instance that is reused from reading to reading, so the per-reading path allocates only the stored array.
 * {@link #encode} and {@link #decodeInto} share one cursor: one instance per processing task. {@link #decode} and
 * {@link #toAvro} may be called from any thread.
 */
public final class PackedSeriesState {
    static final byte VERSION = (byte) SeriesState.LAYOUT;
    /** The layout before the stuck-run habit was appended; still read, with no habit. */
    static final byte VERSION_WITHOUT_HABIT = 2;
    /** The layout before the anomaly likelihood's state was appended; still read, with a fresh likelihood. */
    static final byte VERSION_WITHOUT_LIKELIHOOD = 1;

    private final DetectorSettings settings;
    private final SeriesStateCodec avro;
    private final PackedBytes cursor = new PackedBytes();

    public PackedSeriesState(DetectorSettings settings) {
        this.settings = settings;
        this.avro = new SeriesStateCodec(settings);
    }

    public byte[] encode(SeriesState s) {
        byte[] bytes = new byte[1 + s.packedSize()];
        PackedBytes b = cursor.wrap(bytes);
        b.put(VERSION);
        s.writePacked(b);
        if (b.hasRemaining()) {
            throw new IllegalStateException("packed state size miscounted: " + b.remaining() + " bytes left");
        }
        return bytes;
    }

    /** A new state read from its packed form. */
    public SeriesState decode(byte[] bytes) {
        return read(new PackedBytes().wrap(bytes), new SeriesState(settings));
    }

    /**
     * Reads a packed state into {@code reuse} (overwritten, arrays reused): the per-reading path, which then allocates
     * nothing. Returns {@code reuse}.
     */
    public SeriesState decodeInto(byte[] bytes, SeriesState reuse) {
        return read(cursor.wrap(bytes), reuse);
    }

    private static SeriesState read(PackedBytes b, SeriesState reuse) {
        byte version = b.get();
        if (version < VERSION_WITHOUT_LIKELIHOOD || version > VERSION) {
            throw new IllegalArgumentException("unknown packed series state version " + version);
        }
        reuse.readPacked(b, version);
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("packed series state: " + b.remaining() + " bytes after the last field");
        }
        return reuse;
    }

    /** The last reading's timestamp of a packed state, read in place (the sweep's look at every series). */
    public static long lastTimestamp(byte[] packed) {
        return (long) LONG.get(packed, 1 + 8);
    }

    /**
     * A copy of a packed state with its last arrival zeroed: the detector's wall clock, the one field two runs over the
     * same readings do not share (to compare their states byte for byte).
     */
    public static byte[] withoutArrival(byte[] packed) {
        byte[] copy = packed.clone();
        if (copy.length >= 25 && copy[0] >= 5) {
            java.util.Arrays.fill(copy, copy.length - 24, copy.length - 16, (byte) 0);
        }
        return copy;
    }

    /** Readings a packed state has seen, read in place. */
    public static long readings(byte[] packed) {
        return (long) LONG.get(packed, 1);
    }

    /** The typical gap between readings of a packed state, in milliseconds, read in place. */
    public static double typicalGap(byte[] packed) {
        return Double.longBitsToDouble((long) LONG.get(packed, 1 + 24));
    }

    /** When a packed state's SILENT episode began, read in place; {@link SeriesState#NOT_SILENT} when none (or layout < 5). */
    public static long silentSince(byte[] packed) {
        return packed[0] >= 5 ? (long) LONG.get(packed, packed.length - 16) : SeriesState.NOT_SILENT;
    }

    /** When a packed state's last reading arrived on the detector's clock, read in place; {@link SeriesState#NOT_ARRIVED} if not known. */
    public static long lastArrival(byte[] packed) {
        return packed[0] >= 5 ? (long) LONG.get(packed, packed.length - 24) : SeriesState.NOT_ARRIVED;
    }

    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The readable Avro view of a packed state (for tools, tests and interactive queries). */
    public io.seismo.schema.SeriesState toAvro(byte[] packed) {
        return avro.toAvro(decode(packed));
    }
}
