package io.seismo.detect;

/**
 * A walk over the fields of a series' state: each component declares its fields once, in one method
 * ({@code fields(StateFields)}), as a sequence of calls {@code x = f.kind("name", x)}; the walker writes or counts them in
 * the store's packed layout ({@link PackedFields}), reads them back, or builds the readable view the API and tools show
 * ({@link ViewFields}). Every call returns the field's value: the one given when writing, the one read when reading.
 *
 * <p>The order of the calls is the packed layout's; the names are the view's (and its Avro schema's). The kind says how
 * the field is stored, per {@link #layout()}: up to layout 5 every number had its full Java width (longs and doubles 8
 * bytes, ints and floats 4, arrays after an int length); from layout 6 counters and small ints are varints, arrays have
 * a varint length, and the kinds named for a precision ({@link #float32}, {@link #doubles}, {@link #steps}, {@link
 * #halves}, {@link #nibbles}) are stored at that precision. A field added in a later layout is read only when
 * {@code f.has(layout)}, and set to its default otherwise; one dropped is visited only while {@code f.layout()} is below
 * the layout that dropped it. So adding a field is a few lines in its component's {@code fields}, a new
 * {@code SeriesState.LAYOUT}, and its entry in {@code schemas/SeriesStateView.avsc} (a test checks the schema and the fields
 * agree both ways); for instance a count of missed readings added in layout 8:
 * <pre>{@code
 * if (f.has(8)) {
 *     missed = f.int32("missedReadings", missed);
 * } else {
 *     missed = 0; // what a state written before knew
 * }
 * }</pre>
 */
public abstract class StateFields {
    /** The first layout with varints and reduced precision (the kinds' compact encodings apply from it on). */
    public static final int COMPACT = 6;
    /** The first layout storing {@link #ranged} arrays as 16-bit fractions of their range (half steps before). */
    public static final int RANGED = 7;

    private final int layout;
    private int length;

    protected StateFields(int layout) {
        this.layout = layout;
    }

    /** The packed layout version being written or read (the latest for the view). */
    public final int layout() {
        return layout;
    }

    /** Whether the layout walked has the fields that appeared in layout {@code since}. */
    public final boolean has(int since) {
        return layout >= since;
    }

    /** Whether this walk reads values into the state (rather than taking them from it). */
    public abstract boolean reading();

    /** Values in the array last visited: the length given when writing, the length stored when reading. */
    public final int length() {
        return length;
    }

    protected final void length(int n) {
        length = n;
    }

    /** A long stored in 8 bytes in every layout (times, and fields read in place). */
    public abstract long int64(String name, long v);

    /** A non-negative counter: 8 bytes up to layout 5, a varint from 6. */
    public abstract long count(String name, long v);

    /** An int, usually small: 4 bytes up to layout 5, a zig-zag varint from 6. */
    public abstract int int32(String name, int v);

    /** A double stored in full. */
    public abstract double float64(String name, double v);

    /**
     * A double that usually holds the value {@code usual} (a factor of 1, a value of 0 until something happens): 8 bytes
     * up to layout 5; from 6, one byte when it is {@code usual} (bit for bit), that byte and 8 otherwise.
     */
    public abstract double float64(String name, double v, double usual);

    /** A double for which float precision is ample (a reported score): 8 bytes up to layout 5, a float from 6. */
    public abstract double float32(String name, double v);

    public abstract boolean bool(String name, boolean v);

    /**
     * An instant, epoch millis, stored in 8 bytes; {@code none} marks its absence (null in the view). Read in place by
     * the store's sweep when among the last fields (see {@code PackedSeriesState}).
     */
    public abstract long time(String name, long v, long none);

    /**
     * A value the state recomputes from other fields after reading (see the component): in the view, and stored as a
     * double up to layout 5; not stored from layout 6, when reading it returns {@code v} unchanged.
     */
    public abstract double derived(String name, double v);

    /**
     * {@code v[0..length)}, doubles kept at float precision in the store: doubles up to layout 5, floats from 6. When
     * reading, returns {@code v} if the stored values fit it, else a new array holding them; {@link #length()} tells
     * how many there are.
     */
    public abstract double[] doubles(String name, double[] v, int length);

    /**
     * {@code v[0..length)}, a series' recent values where a 16-bit fraction of their range is ample: doubles up to layout
     * 5; in 6, the first value in full, then each step from the previous value as stored as a half scaled by a power of
     * two shared by the array (written value after value, each depending on the last: slow to write); from
     * {@link #RANGED}, the smallest and the largest in full, then each value as an unsigned 16-bit fraction of the way
     * from the one to the other (within 2^-17 of the range; each value written on its own, and an array re-written after a
     * read is stored the same). Read as {@link #doubles} is.
     */
    public abstract double[] ranged(String name, double[] v, int length);

    /** {@code v[0..length)} as floats; read as {@link #doubles} is. */
    public abstract float[] floats(String name, float[] v, int length);

    /**
     * {@code v[0..length)}, floats for which 3 significant digits are ample: floats up to layout 5; from 6, halves
     * ({@link Half}) scaled by a power of two shared by the array, so the largest fits; a value more than 2^14 times smaller than
     * the largest (which would lose its digits as a half) follows an escape as a float, and {@code ±Float.MAX_VALUE} is
     * kept exactly (as a half infinity): every value keeps at least 3 significant digits. Read as {@link #doubles} is.
     */
    public abstract float[] halves(String name, float[] v, int length);

    /**
     * As {@link #floats}, or {@link #halves} when {@code halves}, of an array many
     * whose elements may be 0 for a reason the state knows: from layout 6 only the elements {@code i} with
     * {@code where[i] != 0} are stored, the others read as 0 ({@code where} must be walked before, and agree on reading).
     * Up to layout 5, every element.
     */
    public abstract float[] floatsWhere(String name, float[] v, int length, byte[] where, boolean halves);

    /**
     * {@code v[0..length)}, counts from 0 to 15: bytes up to layout 5 (read saturated at 15), 4 bits each from 6. Read
     * as {@link #doubles} is.
     */
    public abstract byte[] nibbles(String name, byte[] v, int length);

    /** Opens a nested group of fields (a record in the view; nothing in the packed layout); {@link #end()} closes it. */
    public abstract void begin(String name);

    public abstract void end();
}
