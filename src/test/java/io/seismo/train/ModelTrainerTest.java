package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.nn.Network;
import io.seismo.nn.Sequence;
import io.seismo.nn.TrainingListener;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {
    private final SeismoConfig config = SeismoConfig.defaults().with(Map.of("model.hidden.size", "8", "train.epochs", "30"));
    private final ModelTrainer trainer = new ModelTrainer(config);

    private static List<ModelTrainer.TimedValues> sines(long seed) {
        Random random = new Random(seed);
        List<ModelTrainer.TimedValues> out = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            double[] v = new double[600];
            for (int i = 0; i < v.length; i++) {
                v[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 40 + s) + random.nextGaussian();
            }
            out.add(ModelTrainer.TimedValues.untimed(v));
        }
        return out;
    }

    @Test
    void shouldPublishAFirstModelThatBeatsTheLastValueForecaster() {
        ModelTrainer.Candidate first = trainer.train(sines(1), null, 7, TrainingListener.NONE);
        assertTrue(first.heldOutLoss() < first.naiveHeldOutLoss(), first.toString());
        assertTrue(Double.isNaN(first.currentHeldOutLoss()), "no model in force yet");
        assertNull(first.gate(0.02), "a first model well below the last-value error passes");
    }

    @Test
    void shouldRejectACandidateNoBetterThanTheModelInForce() {
        ModelTrainer.Candidate first = trainer.train(sines(1), null, 7, TrainingListener.NONE);
        Network inForce = first.result().network();
        // A cold, barely trained candidate on fresh data from the same process.
        SeismoConfig brief = config.with(Map.of("train.epochs", "1", "train.learning.rate", "0.0005"));
        ModelTrainer.Candidate worse = new ModelTrainer(brief).train(sines(2), null, 9, TrainingListener.NONE);
        ModelTrainer.Candidate compared = new ModelTrainer.Candidate(worse.result(), 4, 2400, 1, 9, worse.heldOutLoss(),
                trainer.train(sines(2), inForce, 9, TrainingListener.NONE).currentHeldOutLoss(), worse.naiveHeldOutLoss());
        String refusal = compared.gate(0.02);
        assertNotNull(refusal, "a worse candidate must be refused");
        assertTrue(refusal.contains("model in force") || refusal.contains("last-value"), refusal);

        ModelTrainer.Candidate warm = trainer.train(sines(2), inForce, 9, TrainingListener.NONE);
        assertEquals(warm.currentHeldOutLoss(), compared.currentHeldOutLoss(), 0.0, "the model in force is scored on the same windows");
        assertNotNull(warm.gate(0.9), "no candidate is 90% better than a good model in force");
    }

    @Test
    void shouldCompareOnTheMostRecentWindowsOnly() {
        List<Sequence> sequences = List.of(Sequence.ofValues(new double[321]));
        List<Sequence> recent = trainer.recentWindows(sequences);
        int window = config.train().window();
        int windows = 320 / window;
        int keep = (int) Math.round(windows * config.train().validationFraction());
        assertEquals(keep * window, recent.get(0).steps());
    }
}
