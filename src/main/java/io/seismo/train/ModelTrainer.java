package io.seismo.train;

import java.util.ArrayList;
import java.util.List;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.OnlineScaler;
import io.seismo.nn.InputEncoding;
import io.seismo.nn.LearningRateSchedule;
import io.seismo.nn.Network;
import io.seismo.nn.Sequence;
import io.seismo.nn.NetworkShape;
import io.seismo.nn.Trainer;
import io.seismo.nn.TrainingConfig;
import io.seismo.nn.TrainingListener;
import io.seismo.nn.TrainingResult;
import io.seismo.release.ModelReleases;

/** Trains a candidate network on buffered series: standardises each series, then runs truncated BPTT. No Kafka here. */
public final class ModelTrainer {

    /** One series' values, oldest first, with their timestamps (epoch millis). */
    public record TimedValues(long[] timestamps, double[] values) {
        public TimedValues {
            if (timestamps.length != values.length) {
                throw new IllegalArgumentException(timestamps.length + " timestamps but " + values.length + " values");
            }
        }

        /** Values only, at evenly spaced made-up times: for value-only models. */
        public static TimedValues untimed(double[] values) {
            long[] t = new long[values.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = i * 60_000L;
            }
            return new TimedValues(t, values);
        }

        /** The median time between readings, at least 1 ms. */
        public double typicalGap() {
            if (timestamps.length < 2) {
                return 1.0;
            }
            long[] gaps = new long[timestamps.length - 1];
            for (int i = 1; i < timestamps.length; i++) {
                gaps[i - 1] = timestamps[i] - timestamps[i - 1];
            }
            java.util.Arrays.sort(gaps);
            return Math.max(1.0, gaps[gaps.length / 2]);
        }
    }

    /** A trained candidate and whether it is good enough to publish. */
    public record Candidate(TrainingResult result, int series, long samples, long durationMillis, long seed,
                            double heldOutLoss, double currentHeldOutLoss, double naiveHeldOutLoss) {
        /** A candidate is publishable when it predicts better than repeating the last value on held-out data. */
        public boolean beatsNaive() {
            return Double.isFinite(heldOutLoss) && heldOutLoss < naiveHeldOutLoss;
        }

        /**
         * The validation gate: the candidate's error on the held-out recent windows must be at most (1 - margin) times
         * the model in force's on the same windows (the last-value forecaster's when no model is in force), and below
         * the last-value forecaster's in any case.
         *
         * @return null when it passes, else why not
         */
        public String gate(double margin) {
            if (!beatsNaive()) {
                return String.format(java.util.Locale.ROOT,
                        "held-out error %.4f does not beat the last-value forecaster's %.4f", heldOutLoss, naiveHeldOutLoss);
            }
            double reference = Double.isNaN(currentHeldOutLoss) ? naiveHeldOutLoss : currentHeldOutLoss;
            if (heldOutLoss > (1 - margin) * reference) {
                return String.format(java.util.Locale.ROOT, "held-out error %.4f is not %.0f%% below the %s's %.4f", heldOutLoss,
                        margin * 100, Double.isNaN(currentHeldOutLoss) ? "last-value forecaster" : "model in force", reference);
            }
            return null;
        }
    }

    /** Values that only warm the scaler up before a sequence is trained on. */
    private static final int WARM_UP = 50;

    private final SeismoConfig.Model model;
    private final SeismoConfig.Train train;
    private final int scalerHorizon;

    public ModelTrainer(SeismoConfig config) {
        this.model = config.model();
        this.train = config.train();
        this.scalerHorizon = config.detect().scalerHorizon();
    }

    /** The network shape the configuration asks for: one scaled value in per step. */
    public static NetworkShape shapeOf(SeismoConfig.Model model) {
        return ModelReleases.configuredShape(model);
    }

    /**
     * Trains on raw sequences (each one series, oldest first), warm-starting from {@code start} when given.
     *
     * @param runSeed seed of this run (initialisation when cold, shuffling)
     */
    public Candidate train(List<TimedValues> rawSequences, Network start, long runSeed, TrainingListener listener) {
        long began = System.nanoTime();
        InputEncoding inputs = ModelReleases.inputsOf(model);
        List<Sequence> sequences = new ArrayList<>(rawSequences.size());
        long samples = 0;
        for (TimedValues raw : rawSequences) {
            TimedValues scaled = standardise(raw, scalerHorizon);
            sequences.add(Sequence.encode(scaled.values(), scaled.timestamps(), raw.typicalGap(), inputs));
            samples += raw.values().length;
        }
        Network initial = start != null ? start : Network.initialise(shapeOf(model), runSeed);
        TrainingResult result = Trainer.trainSequences(initial, sequences, trainingConfig(runSeed), listener);
        long millis = (System.nanoTime() - began) / 1_000_000;
        List<Sequence> heldOut = recentWindows(sequences);
        double candidateLoss = Trainer.sequenceLoss(result.network(), heldOut, train.window());
        double currentLoss = start == null ? Double.NaN : Trainer.sequenceLoss(start, heldOut, train.window());
        return new Candidate(result, rawSequences.size(), samples, millis, runSeed, candidateLoss, currentLoss,
                naiveLoss(heldOut, train.window()));
    }

    /**
     * The most recent part of every sequence, the share the trainer holds out for validation (at least one window):
     * what a candidate and the model in force are compared on.
     */
    List<Sequence> recentWindows(List<Sequence> sequences) {
        int w = train.window();
        List<Sequence> out = new ArrayList<>();
        for (Sequence s : sequences) {
            int steps = s.steps();
            int windows = steps / w;
            int keep = Math.max(1, (int) Math.round(windows * train.validationFraction()));
            if (windows < 1) {
                continue;
            }
            int from = (windows - keep) * w;
            int size = s.inputSize();
            out.add(new Sequence(size, java.util.Arrays.copyOfRange(s.inputs(), from * size, windows * w * size),
                    java.util.Arrays.copyOfRange(s.targets(), from, windows * w)));
        }
        return out;
    }

    /** Mean squared error of repeating the last value over the same windows: input 0 of each step is the value. */
    static double naiveLoss(List<Sequence> sequences, int window) {
        double sum = 0;
        long n = 0;
        for (Sequence s : sequences) {
            int usable = s.steps() / window * window;
            for (int t = 0; t < usable; t++) {
                double e = s.targets()[t] - s.inputs()[t * s.inputSize()];
                sum += e * e;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The optimiser settings the configuration asks for, with this run's seed. */
    TrainingConfig trainingConfig(long runSeed) {
        return new TrainingConfig(train.window(), train.batchSize(), train.epochs(), train.learningRate(), train.clipNorm(),
                train.validationFraction(), train.patience(), runSeed)
                .withDropout(train.dropout())
                .withSchedule(LearningRateSchedule.parse(train.schedule()))
                .withThreads(train.threads());
    }

    /**
     * Scales a series the way the detector does at run time: each value by the series' online scaler (detect's
     * {@link OnlineScaler}, with the detector's horizon) after it has learned that value, so the model is trained on the
     * inputs it will be fed. The first values only warm the scaler up and are dropped.
     */
    static TimedValues standardise(TimedValues raw, int horizon) {
        double[] v = raw.values();
        int warmUp = Math.min(WARM_UP, v.length / 4);
        OnlineScaler scaler = new OnlineScaler(horizon);
        double[] out = new double[v.length - warmUp];
        for (int i = 0; i < v.length; i++) {
            scaler.update(v[i]);
            if (i >= warmUp) {
                out[i - warmUp] = scaler.scale(v[i]);
            }
        }
        return new TimedValues(java.util.Arrays.copyOfRange(raw.timestamps(), warmUp, v.length), out);
    }
}
