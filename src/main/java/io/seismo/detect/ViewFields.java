package io.seismo.detect;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The readable view of a state's fields: a map from each field's name to its value ({@code Long}, {@code Integer},
 * {@code Double}, {@code Boolean}, an {@link Instant} or null for a {@link #time}, a {@code List} of {@code Double},
 * {@code Float} or {@code Integer} for an array, a nested map for a group), in full precision, as the live state holds
 * it. {@link #of} builds it from a state; {@link #from} reads a state back from it. The Avro {@code SeriesState} record
 * is built from this map by name, so the view and the schema cannot drift apart unnoticed.
 */
public final class ViewFields extends StateFields {
    private final boolean reading;
    private final Deque<Map<String, Object>> open = new ArrayDeque<>();

    private ViewFields(Map<String, Object> root, boolean reading) {
        super(SeriesState.LAYOUT);
        this.reading = reading;
        open.push(root);
    }

    /** A walker that puts every field into {@code into}. */
    public static ViewFields of(Map<String, Object> into) {
        return new ViewFields(into, false);
    }

    /** A walker that reads every field from {@code view} (as {@link #of} built it; a missing field is an error). */
    public static ViewFields from(Map<String, Object> view) {
        return new ViewFields(view, true);
    }

    /** A new, empty map for {@link #of}, keeping the fields in the order they are walked. */
    public static Map<String, Object> newView() {
        return new LinkedHashMap<>();
    }

    @Override
    public boolean reading() {
        return reading;
    }

    private Object field(String name, Object value) {
        if (reading) {
            Map<String, Object> current = open.peek();
            if (!current.containsKey(name)) {
                throw new IllegalArgumentException("state view has no field " + name);
            }
            return current.get(name);
        }
        open.peek().put(name, value);
        return value;
    }

    @Override
    public long int64(String name, long v) {
        return ((Number) field(name, v)).longValue();
    }

    @Override
    public long count(String name, long v) {
        return int64(name, v);
    }

    @Override
    public int int32(String name, int v) {
        return ((Number) field(name, v)).intValue();
    }

    @Override
    public double float64(String name, double v) {
        return ((Number) field(name, v)).doubleValue();
    }

    @Override
    public double float64(String name, double v, double usual) {
        return float64(name, v);
    }

    @Override
    public double[] ranged(String name, double[] v, int length) {
        return doubles(name, v, length);
    }

    @Override
    public double float32(String name, double v) {
        return float64(name, v);
    }

    @Override
    public boolean bool(String name, boolean v) {
        return (Boolean) field(name, v);
    }

    @Override
    public long time(String name, long v, long none) {
        Object o = field(name, v == none ? null : Instant.ofEpochMilli(v));
        return o == null ? none : ((Instant) o).toEpochMilli();
    }

    @Override
    public double derived(String name, double v) {
        return float64(name, v);
    }

    @Override
    public double[] doubles(String name, double[] v, int length) {
        if (!reading) {
            List<Double> out = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                out.add(v[i]);
            }
            return written(name, out, v);
        }
        List<?> in = readList(name);
        double[] into = in.size() <= v.length ? v : new double[in.size()];
        for (int i = 0; i < in.size(); i++) {
            into[i] = ((Number) in.get(i)).doubleValue();
        }
        return into;
    }

    @Override
    public float[] floats(String name, float[] v, int length) {
        if (!reading) {
            List<Float> out = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                out.add(v[i]);
            }
            return written(name, out, v);
        }
        List<?> in = readList(name);
        float[] into = in.size() <= v.length ? v : new float[in.size()];
        for (int i = 0; i < in.size(); i++) {
            into[i] = ((Number) in.get(i)).floatValue();
        }
        return into;
    }

    @Override
    public float[] halves(String name, float[] v, int length) {
        return floats(name, v, length);
    }

    @Override
    public float[] floatsWhere(String name, float[] v, int length, byte[] where, boolean halves) {
        return floats(name, v, length);
    }

    @Override
    public byte[] nibbles(String name, byte[] v, int length) {
        if (!reading) {
            List<Integer> out = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                out.add((int) v[i]);
            }
            return written(name, out, v);
        }
        List<?> in = readList(name);
        byte[] into = in.size() <= v.length ? v : new byte[in.size()];
        for (int i = 0; i < in.size(); i++) {
            into[i] = (byte) Math.max(0, Math.min(15, ((Number) in.get(i)).intValue()));
        }
        return into;
    }

    /** Puts an array's values, {@code out}, under {@code name} and records their count as the {@link #length()}. */
    private <A> A written(String name, List<?> out, A array) {
        field(name, out);
        length(out.size());
        return array;
    }

    /** The list of an array's values under {@code name}, its size recorded as the {@link #length()}. */
    private List<?> readList(String name) {
        List<?> in = (List<?>) field(name, null);
        length(in.size());
        return in;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void begin(String name) {
        Map<String, Object> nested = reading ? (Map<String, Object>) field(name, null) : newView();
        if (!reading) {
            field(name, nested);
        }
        if (nested == null) {
            throw new IllegalArgumentException("state view has no group " + name);
        }
        open.push(nested);
    }

    @Override
    public void end() {
        open.pop();
    }
}
