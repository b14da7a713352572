package io.seismo.stream;

import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.ActiveModel;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesDetector;
import io.seismo.detect.SeriesState;
import io.seismo.nn.Network;
import io.seismo.release.ModelReleases;

/**
 * The detector's own work for one reading, without Kafka, as the detector does it: read the series' packed state,
 * advance it one step with the configured model (random weights) and write it back, round-robin over a number of
 * series of a noisy daily wave. Shared by the JMH {@code DetectorRecordBenchmark} and {@code seismo bench}.
 */
public final class DetectorWorkload {
    private final SeriesDetector detector;
    private final PackedSeriesState codec;
    private final ActiveModel model;
    private final Network network;
    private final byte[][] stored;
    private final long[] clock;
    private final Random random;
    private final SeriesState reuse;
    private int next;

    public DetectorWorkload(SeismoConfig config, int series, long seed) {
        this.detector = new SeriesDetector(DetectorSettings.from(config));
        this.codec = new PackedSeriesState(detector.settings());
        this.network = Network.initialise(ModelReleases.configuredShape(config.model()), seed);
        this.model = new ActiveModel(network, 1, ModelReleases.inputsOf(config.model()));
        this.stored = new byte[series][];
        this.clock = new long[series];
        this.random = new Random(seed);
        this.reuse = detector.newState();
    }

    /** Judges the next series' next reading; returns the size of its stored state. */
    public int record() {
        int s = next;
        next = next + 1 == stored.length ? 0 : next + 1;
        clock[s] += 60_000;
        double value = 10 * Math.sin(clock[s] / 3.6e6) + random.nextGaussian();
        SeriesState state = stored[s] == null ? detector.newState() : codec.decodeInto(stored[s], reuse);
        detector.advance(state, clock[s], value, model);
        stored[s] = codec.encode(state);
        return stored[s].length;
    }

    /** Series {@code s}'s stored state, as the store would keep it (null before its first reading). */
    byte[] stored(int s) {
        return stored[s];
    }

    /** The codec the workload reads and writes its states with. */
    PackedSeriesState codec() {
        return codec;
    }

    /** A fresh state to decode into (one per caller, reused from reading to reading). */
    SeriesState newState() {
        return detector.newState();
    }

    /** Mean bytes of a series' stored state. */
    public double storedBytesPerSeries() {
        long sum = 0;
        int n = 0;
        for (byte[] b : stored) {
            if (b != null) {
                sum += b.length;
                n++;
            }
        }
        return n == 0 ? 0 : sum / (double) n;
    }

    /**
     * Times {@code readings} records after {@code warmUpPerSeries} per series (past warm-up and calibration, so the
     * threshold's steady path is timed); returns nanoseconds per reading.
     */
    public double nanosPerReading(int warmUpPerSeries, int readings) {
        for (long i = 0, n = (long) warmUpPerSeries * stored.length; i < n; i++) {
            record();
        }
        long sink = 0;
        long began = System.nanoTime();
        for (int i = 0; i < readings; i++) {
            sink += record();
        }
        long elapsed = System.nanoTime() - began;
        return sink == 0 ? Double.NaN : elapsed / (double) readings;
    }

    /**
     * Times {@code steps} inference steps of the model alone as the detector takes them ({@link ActiveModel#step}, the
     * inputs encoded from the value and the time), one series' state, the output fed back as the value; nanoseconds each.
     */
    public double nanosPerStep(int steps) {
        double[] state = network.newState();
        double x = 0;
        long t = 0;
        for (int i = 0; i < steps / 4; i++) {
            x = Math.tanh(model.step(state, x, t + 60_000, t, 60_000));
            t += 60_000;
        }
        long began = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            x = Math.tanh(model.step(state, x, t + 60_000, t, 60_000));
            t += 60_000;
        }
        long elapsed = System.nanoTime() - began;
        return Double.isNaN(x) ? Double.NaN : elapsed / (double) steps;
    }

    /**
     * Where a reading's work goes, in nanoseconds per reading: reading the packed state, judging and learning (the
     * verdict, thresholds, likelihood, scaler and the network step), and writing the state back.
     *
     * @param decode nanoseconds to read the stored state into the reused instance
     * @param judge  nanoseconds in {@link SeriesDetector#advance}, the network step included
     * @param encode nanoseconds to write the state into a new array, as the store keeps it
     */
    public record Breakdown(double decode, double judge, double encode) {
        public double total() {
            return decode + judge + encode;
        }
    }

    /**
     * Times each part of {@code readings} records separately, after the warm-up {@link #nanosPerReading} does; each part
     * carries one {@link System#nanoTime} call's overhead (some 20 ns) in its figure.
     */
    public Breakdown breakdown(int warmUpPerSeries, int readings) {
        for (long i = 0, n = (long) warmUpPerSeries * stored.length; i < n; i++) {
            record();
        }
        long decode = 0;
        long judge = 0;
        long encode = 0;
        long sink = 0;
        for (int i = 0; i < readings; i++) {
            int s = next;
            next = next + 1 == stored.length ? 0 : next + 1;
            clock[s] += 60_000;
            double value = 10 * Math.sin(clock[s] / 3.6e6) + random.nextGaussian();
            long t0 = System.nanoTime();
            SeriesState state = stored[s] == null ? detector.newState() : codec.decodeInto(stored[s], reuse);
            long t1 = System.nanoTime();
            detector.advance(state, clock[s], value, model);
            long t2 = System.nanoTime();
            stored[s] = codec.encode(state);
            long t3 = System.nanoTime();
            decode += t1 - t0;
            judge += t2 - t1;
            encode += t3 - t2;
            sink += stored[s].length;
        }
        double n = sink == 0 ? Double.NaN : readings;
        return new Breakdown(decode / n, judge / n, encode / n);
    }
}
