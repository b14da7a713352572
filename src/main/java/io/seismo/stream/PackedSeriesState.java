package io.seismo.stream;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.seismo.detect.DetectorSettings;
import io.seismo.detect.EpisodeState;
import io.seismo.detect.LikelihoodState;
import io.seismo.detect.ScalerState;
import io.seismo.detect.SeriesState;
import io.seismo.detect.SpotState;

/**
 * The per-series state as the store keeps it: a fixed little-endian binary layout, written and read in one pass with
 * no per-element objects (the Avro {@code SeriesState} record, with its boxed arrays, cost tens of kilobytes of
 * garbage per reading). The Avro record stays the documented, readable view of the same fields
 * ({@link #toAvro}). Layout version 2: a version byte, then the fields in the order of {@link #encode}; arrays are an
 * int length followed by the elements. Version 2 appended the anomaly likelihood's state; a version 1 state is read
 * with a fresh one.
 */
public final class PackedSeriesState {
    static final byte VERSION = 2;

    private final DetectorSettings settings;
    private final SeriesStateCodec avro;

    public PackedSeriesState(DetectorSettings settings) {
        this.settings = settings;
        this.avro = new SeriesStateCodec(settings);
    }

    public byte[] encode(SeriesState s) {
        ScalerState scaler = s.scaler();
        SpotState spot = s.spot();
        EpisodeState e = s.episodes();
        double[] recurrent = s.recurrent();
        double[] recent = s.recentValues();
        LikelihoodState likelihood = s.likelihood();
        int size = 1 + 8 * 4 + 8 * 3 + 1 + 8 + 8 + 8 * 3 + 4 * 3
                + 4 + 8 * recurrent.length + 4 + 8 * recent.length
                + 8 + 8 + 8 + 4 + 8 * 3 + 4 + 4 + floatsSize(spot.calibration()) + floatsSize(spot.peaks()) + floatsSize(spot.driftWindow())
                + floatsSize(spot.peakCutoffs())
                + 1 + 8 + 4 + 8 + 4 + 4
                + floatsSize(likelihood.recentErrors()) + 8 + 8 + 8 + 4 + 8 + 8
                + floatsSize(likelihood.recentDaily()) + 8 + 8 + 8 + floatsSize(likelihood.binMeans()) + floatsSize(likelihood.binVariances())
                + 4 + likelihood.binCounts().length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(VERSION);
        b.putLong(s.readings()).putLong(s.lastTimestamp()).putDouble(s.lastValue()).putDouble(s.typicalGap());
        b.putLong(scaler.count()).putDouble(scaler.mean()).putDouble(scaler.variance());
        b.put((byte) (s.hasPrediction() ? 1 : 0)).putDouble(s.expected()).putDouble(s.baselineLevel());
        b.putLong(s.modelVersion()).putDouble(s.smoothedError()).putDouble(s.fallbackThreshold());
        b.putInt(s.repeatRun()).putInt(s.longestRepeatRun()).putInt(s.lastStuckRun());
        putDoubles(b, recurrent);
        putDoubles(b, recent);
        b.putLong(spot.observations()).putDouble(spot.initialThreshold()).putLong(spot.peakCount()).putInt(spot.peakCursor());
        b.putDouble(spot.gamma()).putDouble(spot.sigma()).putDouble(spot.threshold()).putInt(spot.driftCursor());
        b.putInt(0); // reserved
        putFloats(b, spot.calibration());
        putFloats(b, spot.peaks());
        putFloats(b, spot.driftWindow());
        putFloats(b, spot.peakCutoffs());
        b.put((byte) (e.open() ? 1 : 0)).putLong(e.start()).putInt(e.readings()).putDouble(e.peakScore()).putInt(e.maxSeverity())
                .putInt(e.normalRun());
        putFloats(b, likelihood.recentErrors());
        b.putLong(likelihood.observations()).putDouble(likelihood.mean()).putDouble(likelihood.variance())
                .putInt(likelihood.sinceAlarm()).putDouble(likelihood.lowest()).putDouble(likelihood.highest());
        putFloats(b, likelihood.recentDaily());
        b.putLong(likelihood.dailyObservations()).putDouble(likelihood.dailyMean()).putDouble(likelihood.dailyVariance());
        putFloats(b, likelihood.binMeans());
        putFloats(b, likelihood.binVariances());
        b.putInt(likelihood.binCounts().length).put(likelihood.binCounts());
        if (b.hasRemaining()) {
            throw new IllegalStateException("packed state size miscounted: " + b.remaining() + " bytes left");
        }
        return b.array();
    }

    public SeriesState decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte version = b.get();
        if (version != VERSION && version != 1) {
            throw new IllegalArgumentException("unknown packed series state version " + version);
        }
        long readings = b.getLong();
        long lastTimestamp = b.getLong();
        double lastValue = b.getDouble();
        double typicalGap = b.getDouble();
        ScalerState scaler = new ScalerState(b.getLong(), b.getDouble(), b.getDouble());
        boolean hasPrediction = b.get() == 1;
        double expected = b.getDouble();
        double baselineLevel = b.getDouble();
        long modelVersion = b.getLong();
        double smoothedError = b.getDouble();
        double fallbackThreshold = b.getDouble();
        int repeatRun = b.getInt();
        int longestRepeatRun = b.getInt();
        int lastStuckRun = b.getInt();
        double[] recurrent = getDoubles(b);
        double[] recent = getDoubles(b);
        long observations = b.getLong();
        double initialThreshold = b.getDouble();
        long peakCount = b.getLong();
        int peakCursor = b.getInt();
        double gamma = b.getDouble();
        double sigma = b.getDouble();
        double threshold = b.getDouble();
        int driftCursor = b.getInt();
        b.getInt();
        float[] calibration = getFloats(b);
        float[] peaks = getFloats(b);
        float[] driftWindow = getFloats(b);
        float[] peakCutoffs = getFloats(b);
        EpisodeState episode = new EpisodeState(b.get() == 1, b.getLong(), b.getInt(), b.getDouble(), b.getInt(), b.getInt());
        LikelihoodState likelihood = version == 1 ? LikelihoodState.empty()
                : new LikelihoodState(getFloats(b), b.getLong(), b.getDouble(), b.getDouble(), b.getInt(), b.getDouble(), b.getDouble(),
                        getFloats(b), b.getLong(), b.getDouble(), b.getDouble(), getFloats(b), getFloats(b), getBytes(b));
        SpotState spot = new SpotState(observations, calibration, initialThreshold, peaks, peakCount, peakCursor, gamma, sigma,
                threshold, driftWindow, driftCursor, peakCutoffs);
        return SeriesState.restore(settings, readings, lastTimestamp, lastValue, typicalGap, scaler, expected, hasPrediction,
                baselineLevel, modelVersion, recurrent, recent, smoothedError, fallbackThreshold, spot, episode)
                .withRepeats(repeatRun, longestRepeatRun, lastStuckRun).withLikelihood(likelihood);
    }

    /** The readable Avro view of a packed state (for tools, tests and interactive queries). */
    public io.seismo.schema.SeriesState toAvro(byte[] packed) {
        return avro.toAvro(decode(packed));
    }

    private static int floatsSize(float[] v) {
        return 4 + 4 * v.length;
    }

    private static void putDoubles(ByteBuffer b, double[] v) {
        b.putInt(v.length);
        for (double d : v) {
            b.putDouble(d);
        }
    }

    private static void putFloats(ByteBuffer b, float[] v) {
        b.putInt(v.length);
        for (float f : v) {
            b.putFloat(f);
        }
    }

    private static double[] getDoubles(ByteBuffer b) {
        double[] v = new double[b.getInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getDouble();
        }
        return v;
    }

    private static byte[] getBytes(ByteBuffer b) {
        byte[] v = new byte[b.getInt()];
        b.get(v);
        return v;
    }

    private static float[] getFloats(ByteBuffer b) {
        float[] v = new float[b.getInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }
}
