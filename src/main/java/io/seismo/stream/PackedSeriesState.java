package io.seismo.stream;

import io.seismo.detect.DetectorSettings;
import io.seismo.detect.PackedBytes;
import io.seismo.detect.PackedFields;
import io.seismo.detect.SeriesState;
import io.seismo.schema.SeriesStateView;

/**
 * The per-series state as the store keeps it: a version byte, then the fields as {@link SeriesState#fields} declares
 * them, each stored as its kind says for that layout ({@link io.seismo.detect.StateFields}), written and read in one
 * pass with no per-element objects; {@link #toAvro} gives the readable view of the same declaration. Every earlier
 * layout is still read (what each lacked and how it is read: docs/reliability.md). The readings (at byte 1), the last
 * timestamp (at 9), the typical gap (at 25) and the last 24 bytes (last arrival, silent since, feedback episode) keep
 * their places from layout 5 on, so the sweep reads them in place. {@link #encode} and {@link #decodeInto} share one
 * cursor and reuse one state: one instance per processing task; {@link #decode} and {@link #toAvro} may be called
 * from any thread.
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
    /** The walkers over {@link #cursor}, kept: writing and reading a state then allocate no walker. */
    private final PackedFields writer = PackedFields.writer(cursor, VERSION);
    private final PackedFields[] readers = new PackedFields[VERSION + 1];
    private byte[] scratch = new byte[4096];

    public PackedSeriesState(DetectorSettings settings) {
        this.settings = settings;
        this.avro = new SeriesStateCodec(settings);
    }

    public byte[] encode(SeriesState s) {
        return encode(s, VERSION);
    }

    /** The state in an older layout still written (5), for tests of migration; {@link #encode} otherwise. */
    byte[] encode(SeriesState s, int layout) {
        // One pass into a buffer kept from state to state, then the bytes the store keeps.
        PackedBytes b = cursor.growing(scratch);
        b.put((byte) layout);
        if (layout == VERSION) {
            s.fields(writer);
        } else {
            s.writePacked(b, layout);
        }
        scratch = b.array();
        return java.util.Arrays.copyOf(scratch, b.position());
    }

    /** A new state read from its packed form. */
    public SeriesState decode(byte[] bytes) {
        return read(new PackedBytes().wrap(bytes), new SeriesState(settings), null);
    }

    /**
     * Reads a packed state into {@code reuse} (overwritten, arrays reused): the per-reading path, which then allocates
     * nothing. Returns {@code reuse}.
     */
    public SeriesState decodeInto(byte[] bytes, SeriesState reuse) {
        return read(cursor.wrap(bytes), reuse, readers);
    }

    private static SeriesState read(PackedBytes b, SeriesState reuse, PackedFields[] readers) {
        byte version = b.get();
        if (version < VERSION_WITHOUT_LIKELIHOOD || version > VERSION) {
            throw new IllegalArgumentException("unknown packed series state version " + version);
        }
        if (readers == null) {
            reuse.readPacked(b, version);
        } else {
            if (readers[version] == null) {
                readers[version] = PackedFields.reader(b, version);
            }
            reuse.fields(readers[version]);
        }
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
    public SeriesStateView toAvro(byte[] packed) {
        return avro.toAvro(decode(packed));
    }
}
