package io.seismo.stream;

import java.util.ArrayList;
import java.util.List;

import io.seismo.detect.SeriesState;
import io.seismo.schema.AnomalyEvent;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides which of a task's series have gone silent and which have been idle long enough to forget. Each sweep visits
 * at most {@code state.sweep.max.series} series in key order, continuing from where the last one stopped (a range scan
 * from a cursor), so its work is bounded however many series the task holds. Most series are judged from three fields
 * read in place; only one that is silent or expiring is decoded.
 *
 * <p>A silent series opens a SILENT episode (closing any anomaly episode still open, which no reading would close now);
 * an expired one is deleted, a tombstone on the changelog, after closing what it has open. Idleness is measured on the
 * wall clock from the series' last arrival (live streams: a replay's old timestamps do not make every series silent), or
 * on the task's stream time from its last reading's timestamp (replays and scoring).
 */
final class SeriesSweep {
    /** What a sweep asks its caller to emit. */
    interface Events {
        void emit(String series, AnomalyEvent event);
    }

    private final PackedSeriesState codec;
    private final SilenceEvents silence;
    private final double silenceAfter;
    private final long ttlMs;
    private final int maxSeries;
    private final boolean wallClock;
    private final DetectorMetrics metrics;
    private String cursor;

    /**
     * A sweep measuring idleness on the wall clock from each series' last arrival ({@code wallClock}), or on stream time
     * from its last reading's timestamp.
     */
    SeriesSweep(PackedSeriesState codec, SilenceEvents silence, double silenceAfter, long ttlMs, int maxSeries, boolean wallClock,
                DetectorMetrics metrics) {
        this.wallClock = wallClock;
        this.codec = codec;
        this.silence = silence;
        this.silenceAfter = silenceAfter;
        this.ttlMs = ttlMs;
        this.maxSeries = maxSeries;
        this.metrics = metrics;
    }

    /** Whether sweeping can find anything: silence is watched or states expire. */
    boolean active() {
        return silenceAfter > 0 || ttlMs > 0;
    }

    /** Visits the next series at {@code now}; returns how many it visited. */
    int sweep(long now, KeyValueStore<String, byte[]> states, SeriesCounts counts, Events events) {
        if (now < 0) {
            return 0;
        }
        List<KeyValue<String, byte[]>> due = new ArrayList<>();
        int visited = 0;
        String last = null;
        boolean more;
        try (KeyValueIterator<String, byte[]> it = cursor == null ? states.all() : states.range(cursor, null)) {
            while (visited < maxSeries && it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.key.equals(cursor)) {
                    continue;
                }
                visited++;
                last = kv.key;
                if (kv.value != null && kv.value.length > 17 && due(kv.value, now)) {
                    due.add(kv);
                }
            }
            more = it.hasNext();
        }
        cursor = more ? last : null;
        for (KeyValue<String, byte[]> kv : due) {
            act(kv.key, kv.value, now, states, counts, events);
        }
        return visited;
    }

    private long idle(long now, long lastArrival, long lastTimestamp) {
        if (wallClock) {
            return lastArrival == SeriesState.NOT_ARRIVED ? -1 : now - lastArrival;
        }
        return now - lastTimestamp;
    }

    private boolean due(byte[] packed, long now) {
        long idle = idle(now, PackedSeriesState.lastArrival(packed), PackedSeriesState.lastTimestamp(packed));
        if (idle < 0) {
            return false;
        }
        if (ttlMs > 0 && idle > ttlMs) {
            return true;
        }
        return silenceAfter > 0 && PackedSeriesState.silentSince(packed) == SeriesState.NOT_SILENT
                && PackedSeriesState.readings(packed) >= SeriesState.SILENCE_MIN_READINGS
                && idle > silenceAfter * PackedSeriesState.typicalGap(packed);
    }

    private void act(String series, byte[] packed, long now, KeyValueStore<String, byte[]> states, SeriesCounts counts, Events events) {
        SeriesState state;
        try {
            state = codec.decode(packed);
        } catch (RuntimeException unreadable) {
            // The detector dead-letters and resets it on the series' next reading; nothing to judge here.
            return;
        }
        boolean wasOpen = SeriesCounts.isOpen(state);
        long idle = idle(now, state.lastArrival(), state.lastTimestamp());
        if (ttlMs > 0 && idle > ttlMs) {
            if (state.silent()) {
                events.emit(series, silence.closed(series, state, state.closeSilence(), now, idle, state.lastValue()));
            } else if (state.episodes().open() && state.openSilence()) {
                events.emit(series, silence.closedBySilence(series, state, now));
            }
            states.delete(series);
            counts.changed(true, wasOpen, false, false);
            metrics.seriesExpired();
            return;
        }
        if (!state.silentAfter(idle, silenceAfter)) {
            return;
        }
        if (state.openSilence()) {
            events.emit(series, silence.closedBySilence(series, state, now));
        }
        events.emit(series, silence.opened(series, state, now, idle));
        states.put(series, codec.encode(state));
        counts.changed(true, wasOpen, true, true);
    }
}
