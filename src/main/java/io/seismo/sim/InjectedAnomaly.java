package io.seismo.sim;

import java.util.Objects;

/**
 * Ground-truth label of one injected anomaly.
 *
 * @param series series id
 * @param kind what was injected
 * @param start event time (epoch millis) of the first affected reading, inclusive
 * @param end event time (epoch millis) of the last affected reading, inclusive
 */
public record InjectedAnomaly(String series, AnomalyKind kind, long start, long end) {
    public InjectedAnomaly {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(kind, "kind");
        if (end < start) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }

    /** True if {@code timestamp} lies in [start, end]. */
    public boolean covers(long timestamp) {
        return timestamp >= start && timestamp <= end;
    }
}
