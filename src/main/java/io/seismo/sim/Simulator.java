package io.seismo.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic generator of synthetic sensor series with labelled anomalies.
 *
 * <p>Series {@code i} gets shape {@code Shape.values()[i % 4]} and the id {@code
 * sensor-%03d-<shape>}, e.g. {@code sensor-000-seasonal}, {@code sensor-003-random-walk}. Each call
 * of {@link #nextTick()} advances event time by {@link SimConfig#stepMillis()} and returns one
 * reading per series, all with the same timestamp. The same {@link SimConfig} always yields the
 * same readings and the same labels.
 *
 * <p>Not thread-safe.
 */
public final class Simulator {

    private final SimConfig config;
    private final Map<String, SeriesGenerator> generators = new LinkedHashMap<>();
    private final List<InjectedAnomaly> injected = new ArrayList<>();
    private final boolean gaps;
    private long tick;

    public Simulator(SimConfig config) {
        this(config, false);
    }

    /**
     * A simulator whose long dropouts ({@code gaps}) are silence: no reading of the series for their length, as a sensor
     * that loses power sends; the shorter ones, and all of them without {@code gaps}, read 0. The labels are the same.
     */
    public Simulator(SimConfig config, boolean gaps) {
        this.config = config;
        this.gaps = gaps;
        SplittableRandom root = new SplittableRandom(config.seed());
        Shape[] shapes = Shape.values();
        for (int i = 0; i < config.series(); i++) {
            Shape shape = shapes[i % shapes.length];
            String id = String.format("sensor-%03d-%s", i, shape.label());
            generators.put(id, new SeriesGenerator(id, shape, config, root.split(), root.split()));
        }
    }

    public SimConfig config() {
        return config;
    }

    /** Series ids in generation order. */
    public List<String> seriesIds() {
        return List.copyOf(generators.keySet());
    }

    /** Shape of a series. */
    public Shape shapeOf(String series) {
        return generator(series).shape;
    }

    /** Readings of the next time step, one per series (but a series in a gap), in {@link #seriesIds()} order. */
    public List<SimReading> nextTick() {
        long timestamp = config.timestampOf(tick);
        List<SimReading> readings = new ArrayList<>(generators.size());
        for (SeriesGenerator g : generators.values()) {
            double value = g.next(tick, injected);
            if (!(gaps && g.inGap())) {
                readings.add(new SimReading(g.id, timestamp, value));
            }
        }
        tick++;
        return readings;
    }

    /** Runs {@code ticks} ticks and returns all their readings, tick by tick. */
    public List<SimReading> advance(int ticks) {
        List<SimReading> all = new ArrayList<>(ticks * generators.size());
        for (int i = 0; i < ticks; i++) {
            all.addAll(nextTick());
        }
        return all;
    }

    /**
     * Labels of the anomalies whose first reading has been emitted so far, in order of start (ties in
     * series order). A label's end may lie beyond the last emitted tick.
     */
    public List<InjectedAnomaly> injected() {
        return Collections.unmodifiableList(new ArrayList<>(injected));
    }

    /** Number of ticks emitted so far, which is also the 0-based index of the next tick. */
    public long tick() {
        return tick;
    }

    /** Standard deviation of the normal noise of a series (for tests). */
    double noiseSd(String series) {
        return generator(series).noiseSd;
    }

    private SeriesGenerator generator(String series) {
        SeriesGenerator g = generators.get(series);
        if (g == null) {
            throw new IllegalArgumentException("unknown series " + series);
        }
        return g;
    }
}
