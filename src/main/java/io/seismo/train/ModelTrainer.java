package io.seismo.train;

import java.util.ArrayList;
import java.util.List;

import io.seismo.config.SeismoConfig;
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
    public record Candidate(TrainingResult result, int series, long samples, long durationMillis, long seed) {
        /** A candidate is publishable when it predicts better than repeating the last value on held-out data. */
        public boolean beatsNaive() {
            return Double.isFinite(result.validationLoss()) && result.validationLoss() < result.naiveLoss();
        }
    }

    private final SeismoConfig.Model model;
    private final SeismoConfig.Train train;

    public ModelTrainer(SeismoConfig.Model model, SeismoConfig.Train train) {
        this.model = model;
        this.train = train;
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
            sequences.add(Sequence.encode(standardise(raw.values()), raw.timestamps(), raw.typicalGap(), inputs));
            samples += raw.values().length;
        }
        Network initial = start != null ? start : Network.initialise(shapeOf(model), runSeed);
        TrainingResult result = Trainer.trainSequences(initial, sequences, trainingConfig(runSeed), listener);
        long millis = (System.nanoTime() - began) / 1_000_000;
        return new Candidate(result, rawSequences.size(), samples, millis, runSeed);
    }

    /** The optimiser settings the configuration asks for, with this run's seed. */
    TrainingConfig trainingConfig(long runSeed) {
        return new TrainingConfig(train.window(), train.batchSize(), train.epochs(), train.learningRate(), train.clipNorm(),
                train.validationFraction(), train.patience(), runSeed)
                .withDropout(train.dropout())
                .withSchedule(LearningRateSchedule.parse(train.schedule()))
                .withThreads(train.threads());
    }

    /** (x - mean) / sd with a floor on sd, matching how the detector's scaler treats a flat series. */
    static double[] standardise(double[] raw) {
        double mean = 0;
        for (double v : raw) {
            mean += v;
        }
        mean /= raw.length;
        double var = 0;
        for (double v : raw) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / Math.max(1, raw.length - 1));
        sd = Math.max(sd, Math.max(1e-9, 1e-6 * Math.abs(mean)));
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = (raw[i] - mean) / sd;
        }
        return out;
    }
}
