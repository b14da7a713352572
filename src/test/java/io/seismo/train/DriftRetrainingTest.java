package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.ActiveModel;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.EpisodeTransition;
import io.seismo.detect.SeriesDetector;
import io.seismo.detect.SeriesState;
import io.seismo.detect.Verdict;
import io.seismo.nn.Network;
import io.seismo.nn.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * Series whose level and period change part-way: after retraining on the new regime (warm start, swapped in the way the
 * detector swaps releases), false alarms fall back to the rate before the change. Event-time loop over the detector's
 * own per-series path and the trainer's own training code, seeded.
 */
class DriftRetrainingTest {
    private static final int SERIES = 6;
    private static final int CHANGE = 3000;
    private static final int RETRAIN = 3800;
    private static final int END = 5400;
    private static final long STEP = 60_000L;

    @Test
    void shouldReturnToThePreChangeFalseAlarmRateAfterRetraining() {
        SeismoConfig config = SeismoConfig.defaults().with(Map.of("model.hidden.size", "16", "train.epochs", "30",
                "model.inputs", "value"));
        SeriesDetector detector = new SeriesDetector(DetectorSettings.from(config));
        ModelTrainer trainer = new ModelTrainer(config);
        double[][] values = new double[SERIES][END];
        Random random = new Random(42);
        for (int s = 0; s < SERIES; s++) {
            for (int i = 0; i < END; i++) {
                boolean after = i >= CHANGE;
                double period = after ? 30 : 48;
                double level = after ? 130 : 100;
                values[s][i] = level + 10 * Math.sin(2 * Math.PI * i / period + s) + 0.5 * random.nextGaussian();
            }
        }
        ActiveModel first = new ActiveModel(train(trainer, values, 0, 1500, null), 1);
        double[] retrainedError = new double[END];
        double[] keptError = new double[END];
        int[] opened = run(detector, values, first, train(trainer, values, RETRAIN - 700, RETRAIN, first.network()), retrainedError);
        int[] kept = run(detector, values, first, null, keptError);
        int before = sum(opened, 2000, CHANGE);
        int atChange = sum(opened, CHANGE, RETRAIN);
        int afterRetraining = sum(opened, RETRAIN + 500, RETRAIN + 500 + (CHANGE - 2000));
        int withoutRetraining = sum(kept, RETRAIN + 500, RETRAIN + 500 + (CHANGE - 2000));
        double mseRetrained = mean(retrainedError, RETRAIN + 100, END);
        double mseKept = mean(keptError, RETRAIN + 100, END);
        System.out.printf("episodes opened: %d in the 1000 steps before the change, %d between the change and the retraining,"
                + " %d in 1000 steps from 500 steps after the retraining (%d in the same steps without retraining);"
                + " squared prediction error after the retraining %.3f, without it %.3f%n", before,
                atChange, afterRetraining, withoutRetraining, mseRetrained, mseKept);
        assertTrue(atChange > 0, "the change itself is noticed");
        assertTrue(afterRetraining <= Math.max(2, 2 * before),
                "false alarms fall back after retraining: before " + before + ", after " + afterRetraining);
    }

    /** Episodes opened per step over all series: model 1 from step 1500, then {@code retrained} (if any) from RETRAIN. */
    private static int[] run(SeriesDetector detector, double[][] values, ActiveModel first, Network retrained, double[] squaredError) {
        ActiveModel model = null;
        SeriesState[] states = new SeriesState[SERIES];
        for (int s = 0; s < SERIES; s++) {
            states[s] = detector.newState();
        }
        int[] opened = new int[END];
        for (int i = 0; i < END; i++) {
            if (i == 1500) {
                model = first;
            }
            if (i == RETRAIN && retrained != null) {
                model = new ActiveModel(retrained, 2);
            }
            for (int s = 0; s < SERIES; s++) {
                Verdict v = detector.advance(states[s], i * STEP, values[s][i], model);
                if (v.transition() == EpisodeTransition.OPENED) {
                    opened[i]++;
                }
                double e = v.observed() - v.expected();
                squaredError[i] += e * e / SERIES;
            }
        }
        return opened;
    }

    private static Network train(ModelTrainer trainer, double[][] values, int from, int to, Network start) {
        List<ModelTrainer.TimedValues> sequences = new ArrayList<>();
        for (double[] v : values) {
            long[] t = new long[to - from];
            for (int i = 0; i < t.length; i++) {
                t[i] = (from + i) * STEP;
            }
            sequences.add(new ModelTrainer.TimedValues(t, Arrays.copyOfRange(v, from, to)));
        }
        return trainer.train(sequences, start, 3, TrainingListener.NONE).result().network();
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }

    private static int sum(int[] counts, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += counts[i];
        }
        return n;
    }
}
