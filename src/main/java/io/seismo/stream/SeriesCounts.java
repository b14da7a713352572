package io.seismo.stream;

import io.seismo.detect.SeriesState;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The counts of a task's series and of those with an episode open (an anomaly episode or a SILENT one), kept in a small
 * changelogged store beside the series' states and changed in the same transaction as them, so reading them never
 * scans the states. A store written before the counts existed is counted once, on the task's first start with them.
 */
final class SeriesCounts {
    /** Key of the number of series in the task's state store. */
    static final String SERIES = "series";
    /** Key of the number of those with an episode open. */
    static final String OPEN = "open-episodes";

    private final KeyValueStore<String, Long> store;
    private long series;
    private long open;

    private SeriesCounts(KeyValueStore<String, Long> store, long series, long open) {
        this.store = store;
        this.series = series;
        this.open = open;
    }

    /** The counts of {@code states}, read from {@code store}, or counted once and written there when it has none. */
    static SeriesCounts load(KeyValueStore<String, Long> store, KeyValueStore<String, byte[]> states, PackedSeriesState codec) {
        Long series = store.get(SERIES);
        Long open = store.get(OPEN);
        if (series != null && open != null) {
            return new SeriesCounts(store, series, open);
        }
        long s = 0;
        long o = 0;
        SeriesState scratch = null;
        try (KeyValueIterator<String, byte[]> it = states.all()) {
            while (it.hasNext()) {
                byte[] bytes = it.next().value;
                s++;
                try {
                    scratch = scratch == null ? codec.decode(bytes) : codec.decodeInto(bytes, scratch);
                    o += isOpen(scratch) ? 1 : 0;
                } catch (RuntimeException unreadable) {
                    // Counted as a series; its episode, if any, is unknown.
                }
            }
        }
        SeriesCounts counts = new SeriesCounts(store, s, o);
        store.put(SERIES, s);
        store.put(OPEN, o);
        return counts;
    }

    /** Whether a series counts as having an episode open. */
    static boolean isOpen(SeriesState state) {
        return state.inEpisode() || state.silent();
    }

    /** Accounts for a series' change: from absent or {@code wasOpen} to present or absent and {@code isOpen}. */
    void changed(boolean existed, boolean wasOpen, boolean exists, boolean isOpen) {
        if (existed != exists) {
            series = Math.max(0, series + (exists ? 1 : -1));
            store.put(SERIES, series);
        }
        boolean before = existed && wasOpen;
        boolean after = exists && isOpen;
        if (before != after) {
            open = Math.max(0, open + (after ? 1 : -1));
            store.put(OPEN, open);
        }
    }

    long series() {
        return series;
    }

    long open() {
        return open;
    }
}
