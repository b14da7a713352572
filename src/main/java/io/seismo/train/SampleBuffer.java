package io.seismo.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainer's memory of recent values: a fixed-size ring of timestamps and float values per series and at most {@code maxSeries} series
 * (the least recently updated series is dropped first), so memory stays bounded however many series the stream carries.
 * Values appended with their place on the training topic (partition and offset) remember it, so the trainer can tell
 * the oldest offset whose value is still held ({@link #oldestOffsets}): what a restarted trainer must re-read to hold the
 * same values again. Not thread-safe.
 */
public final class SampleBuffer {
    private final int history;
    private final int maxSeries;
    private final LinkedHashMap<String, Ring> rings;
    private long appended;
    private long held;
    private int longest;
    private long firstTimestamp = Long.MAX_VALUE;
    private long lastTimestamp = Long.MIN_VALUE;

    public SampleBuffer(int history, int maxSeries) {
        if (history < 2 || maxSeries < 1) {
            throw new IllegalArgumentException("history must be at least 2 and maxSeries at least 1, got " + history + ", " + maxSeries);
        }
        this.history = history;
        this.maxSeries = maxSeries;
        this.rings = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Ring> eldest) {
                boolean drop = size() > SampleBuffer.this.maxSeries;
                if (drop) {
                    held -= eldest.getValue().size;
                }
                return drop;
            }
        };
    }

    /** Appends a value to its series' ring, evicting the least recently updated series when over the limit. */
    public void append(String series, long timestamp, double value) {
        append(series, -1, -1, timestamp, value);
    }

    /**
     * As {@link #append(String, long, double)}, for a value read at {@code offset} of {@code partition} of the training
     * topic (the series' records are expected on one partition, as they are keyed by series). Offsets cost 8 bytes a value,
     * allocated only for series appended this way.
     */
    public void append(String series, int partition, long offset, long timestamp, double value) {
        Ring ring = rings.computeIfAbsent(series, s -> new Ring(history));
        if (ring.size < history) {
            held++;
        }
        ring.add(timestamp, (float) value, partition, offset);
        longest = Math.max(longest, ring.size);
        appended++;
        firstTimestamp = Math.min(firstTimestamp, timestamp);
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

    /** Values appended since the buffer was made. */
    public long appended() {
        return appended;
    }

    /** Values held now, over every series: what a training run samples from. */
    public long held() {
        return held;
    }

    public int seriesCount() {
        return rings.size();
    }

    public long firstTimestamp() {
        return firstTimestamp == Long.MAX_VALUE ? 0 : firstTimestamp;
    }

    public long lastTimestamp() {
        return lastTimestamp == Long.MIN_VALUE ? 0 : lastTimestamp;
    }

    /**
     * The most values any series has held (an upper bound once series are dropped): a cheap test of whether any series
     * can be trained on yet.
     */
    public int longestSeries() {
        return longest;
    }

    /** Series that have at least {@code minSamples} values. */
    public int readySeries(int minSamples) {
        int n = 0;
        for (Ring r : rings.values()) {
            if (r.size >= minSamples) {
                n++;
            }
        }
        return n;
    }

    /**
     * Per partition of the training topic, the oldest offset whose value is still held (over every series whose values
     * came with offsets): re-reading the partition from there fills the buffer with the same values again. Partitions
     * nothing is held from are absent.
     */
    public Map<Integer, Long> oldestOffsets() {
        Map<Integer, Long> out = new java.util.HashMap<>();
        for (Ring r : rings.values()) {
            long oldest = r.oldestOffset();
            if (oldest >= 0) {
                out.merge(r.partition, oldest, Math::min);
            }
        }
        return out;
    }

    /**
     * Up to {@code maxSequences} series with at least {@code minSamples} values each, oldest value first, sampled with
     * a seeded generator and ordered by series id so the result depends only on the contents and the seed.
     */
    public List<ModelTrainer.TimedValues> sample(int maxSequences, int minSamples, long seed) {
        List<Map.Entry<String, Ring>> ready = new ArrayList<>();
        for (Map.Entry<String, Ring> e : rings.entrySet()) {
            if (e.getValue().size >= minSamples) {
                ready.add(e);
            }
        }
        ready.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        SplittableRandom random = new SplittableRandom(seed);
        // Partial Fisher-Yates: the first maxSequences entries become a uniform sample.
        int take = Math.min(maxSequences, ready.size());
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(ready.size() - i);
            Map.Entry<String, Ring> t = ready.get(i);
            ready.set(i, ready.get(j));
            ready.set(j, t);
        }
        List<Map.Entry<String, Ring>> chosen = new ArrayList<>(ready.subList(0, take));
        chosen.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        List<ModelTrainer.TimedValues> out = new ArrayList<>(take);
        for (Map.Entry<String, Ring> e : chosen) {
            out.add(e.getValue().toTimedValues());
        }
        return out;
    }

    /** A fixed-capacity ring of timestamps and float values. */
    private static final class Ring {
        final long[] times;
        final float[] values;
        /** Where each value was read on the training topic, or null while no value came with an offset. */
        long[] offsets;
        int partition = -1;
        int size;
        int next;

        Ring(int capacity) {
            times = new long[capacity];
            values = new float[capacity];
        }

        void add(long t, float v, int p, long offset) {
            if (offset >= 0 && offsets == null) {
                offsets = new long[values.length];
                java.util.Arrays.fill(offsets, -1);
            }
            if (offsets != null) {
                offsets[next] = offset;
                if (offset >= 0) {
                    partition = p;
                }
            }
            times[next] = t;
            values[next] = v;
            next = (next + 1) % values.length;
            size = Math.min(size + 1, values.length);
        }

        /** The offset of the oldest held value that came with one; -1 when none did. */
        long oldestOffset() {
            if (offsets == null) {
                return -1;
            }
            int start = (next - size + values.length) % values.length;
            for (int i = 0; i < size; i++) {
                long o = offsets[(start + i) % values.length];
                if (o >= 0) {
                    return o;
                }
            }
            return -1;
        }

        ModelTrainer.TimedValues toTimedValues() {
            long[] t = new long[size];
            double[] v = new double[size];
            int start = (next - size + values.length) % values.length;
            for (int i = 0; i < size; i++) {
                t[i] = times[(start + i) % values.length];
                v[i] = values[(start + i) % values.length];
            }
            return new ModelTrainer.TimedValues(t, v);
        }
    }
}
