package io.seismo.eval;

import java.util.List;

/**
 * One series with its labelled anomaly windows.
 *
 * @param name       e.g. "realKnownCause/nyc_taxi.csv" or "sensor-003-seasonal"
 * @param timestamps event times, epoch millis, increasing
 * @param values     the readings
 * @param windows    labelled anomaly windows, each {start, end} inclusive, epoch millis
 */
public record LabelledSeries(String name, long[] timestamps, double[] values, List<long[]> windows) {
    public LabelledSeries {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException(name + ": " + timestamps.length + " timestamps but " + values.length + " values");
        }
        windows = List.copyOf(windows);
    }

    public int size() {
        return values.length;
    }
}
