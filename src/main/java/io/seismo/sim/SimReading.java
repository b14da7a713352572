package io.seismo.sim;

import java.util.Objects;

/**
 * One simulated reading.
 *
 * @param series series id, e.g. {@code sensor-000-seasonal}
 * @param timestamp event time in epoch millis
 * @param value the reading
 */
public record SimReading(String series, long timestamp, double value) {
    public SimReading {
        Objects.requireNonNull(series, "series");
    }
}
