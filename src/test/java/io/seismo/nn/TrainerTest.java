package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static final NetworkShape SHAPE = new NetworkShape(CellType.LSTM, 1, 8, 1);

    /** Standardised noisy sines with a 24-step period and random phases. */
    static List<double[]> noisySines(int sequences, int length, long seed) {
        Random random = new Random(seed);
        List<double[]> result = new ArrayList<>();
        double sum = 0;
        double sumSquares = 0;
        for (int s = 0; s < sequences; s++) {
            double phase = random.nextDouble() * 2 * Math.PI;
            double[] values = new double[length];
            for (int t = 0; t < length; t++) {
                values[t] = Math.sin(2 * Math.PI * t / 24.0 + phase) + 0.1 * random.nextGaussian();
                sum += values[t];
                sumSquares += values[t] * values[t];
            }
            result.add(values);
        }
        double count = (double) sequences * length;
        double mean = sum / count;
        double sd = Math.sqrt(sumSquares / count - mean * mean);
        for (double[] values : result) {
            for (int t = 0; t < length; t++) {
                values[t] = (values[t] - mean) / sd;
            }
        }
        return result;
    }

    @Test
    void shouldLearnANoisySineWellBelowTheNaiveForecaster() {
        List<double[]> data = noisySines(4, 600, 1);
        TrainingConfig config = new TrainingConfig(24, 8, 60, 1e-2, 1.0, 0.2, 8, 7);
        List<Double> validationLosses = new ArrayList<>();
        TrainingResult result = Trainer.train(Network.initialise(SHAPE, 3), data, config,
                (epoch, maxEpochs, trainLoss, validationLoss) -> validationLosses.add(validationLoss));

        assertTrue(result.validationLoss() < 0.5 * result.naiveLoss(),
                "validation " + result.validationLoss() + " vs naive " + result.naiveLoss());
        assertEquals(result.epochs(), validationLosses.size());
        assertEquals(validationLosses.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                result.validationLoss(), 1e-12, "returns the best epoch's weights");
        assertTrue(result.steps() > 0);
        assertTrue(Double.isFinite(result.trainLoss()));
    }

    @Test
    void shouldBeReproducibleForASeedAndDifferAcrossSeeds() {
        List<double[]> data = noisySines(2, 200, 2);
        TrainingConfig config = new TrainingConfig(16, 4, 3, 1e-2, 1.0, 0.2, 3, 11);
        Network start = Network.initialise(SHAPE, 5);
        double[] first = Trainer.train(start, data, config, TrainingListener.NONE).network().parameters();
        double[] again = Trainer.train(start, data, config, TrainingListener.NONE).network().parameters();
        double[] otherSeed = Trainer.train(start, data, config.withSeed(12), TrainingListener.NONE)
                .network().parameters();
        assertArrayEquals(first, again, 0.0);
        assertFalse(Arrays.equals(first, otherSeed));
    }

    @Test
    void shouldNotModifyTheStartingNetwork() {
        Network start = Network.initialise(SHAPE, 5);
        double[] before = start.parameters();
        Trainer.train(start, noisySines(1, 100, 3), new TrainingConfig(8, 4, 2, 1e-2, 1.0, 0.2, 2, 1),
                TrainingListener.NONE);
        assertArrayEquals(before, start.parameters(), 0.0);
    }

    @Test
    void shouldStopEarlyWhenValidationStopsImproving() {
        // A learning rate this large makes validation loss erratic, so patience 1 must cut training short.
        TrainingResult result = Trainer.train(Network.initialise(SHAPE, 5), noisySines(2, 200, 4),
                new TrainingConfig(16, 4, 200, 0.5, 1.0, 0.2, 1, 1), TrainingListener.NONE);
        assertTrue(result.epochs() < 200, "ran " + result.epochs() + " epochs");
    }

    @Test
    void naiveLossShouldBeTheLastValueForecastErrorOnValidationWindows() {
        // One sequence, window 2: windows [0,1,2] [2,3,4] [4,5,6] [6,7,8]; validation 0.25 holds out the last.
        double[] sequence = {0, 1, 3, 6, 10, 15, 21, 28, 36};
        TrainingResult result = Trainer.train(Network.initialise(SHAPE, 1), List.of(sequence),
                new TrainingConfig(2, 4, 1, 1e-3, 1.0, 0.25, 1, 1), TrainingListener.NONE);
        assertEquals((7 * 7 + 8 * 8) / 2.0, result.naiveLoss(), 1e-12);
    }

    @Test
    void shouldValidateOnTrainingWindowsWhenNoneCanBeHeldOut() {
        // 40 values hold a single window of 33, which must stay in training.
        double[] sequence = noisySines(1, 40, 6).get(0);
        TrainingResult result = Trainer.train(Network.initialise(SHAPE, 1), List.of(sequence),
                TrainingConfig.defaults().withMaxEpochs(2), TrainingListener.NONE);
        assertEquals(result.trainLoss(), result.validationLoss(), 1e-12);
        double naive = 0;
        for (int t = 0; t < 32; t++) {
            naive += (sequence[t + 1] - sequence[t]) * (sequence[t + 1] - sequence[t]);
        }
        assertEquals(naive / 32, result.naiveLoss(), 1e-12);
    }

    @Test
    void lossShouldMatchSteppingTheNetworkOverEveryWindow() {
        Network network = Network.initialise(SHAPE, 8);
        double[] sequence = noisySines(1, 23, 5).get(0);
        int window = 5;
        double sumSquares = 0;
        int predictions = 0;
        // 22 targets make four whole windows of five; the last two values do not fill a window.
        for (int start = 0; start + window < sequence.length; start += window) {
            double[] state = network.newState();
            double[] scratch = network.newScratch();
            for (int t = start; t < start + window; t++) {
                double error = network.step(state, sequence[t], scratch) - sequence[t + 1];
                sumSquares += error * error;
                predictions++;
            }
        }
        assertEquals(20, predictions);
        assertEquals(sumSquares / predictions, Trainer.loss(network, List.of(sequence), window), 1e-14);
    }

    @Test
    void shouldRejectSequencesTooShortForAWindow() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(Network.initialise(SHAPE, 1), List.of(new double[10]),
                        TrainingConfig.defaults(), TrainingListener.NONE));
        assertTrue(error.getMessage().contains("33 values"), error.getMessage());
    }

    @Test
    void shouldRejectNonFiniteValues() {
        double[] sequence = new double[100];
        sequence[40] = Double.NaN;
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(Network.initialise(SHAPE, 1), List.of(sequence), TrainingConfig.defaults(),
                        TrainingListener.NONE));
        assertTrue(error.getMessage().contains("at 40"), error.getMessage());
    }

    @Test
    void shouldRejectNetworksWithMoreThanOneInput() {
        Network wide = Network.initialise(new NetworkShape(CellType.LSTM, 2, 4, 1), 1);
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(wide, List.of(new double[100]), TrainingConfig.defaults(), TrainingListener.NONE));
    }

    @Test
    void configShouldRejectInvalidValuesWithClearMessages() {
        TrainingConfig d = TrainingConfig.defaults();
        assertEquals(32, d.window());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new TrainingConfig(0, 16, 30, 3e-3, 1.0, 0.2, 4, 42));
        assertTrue(error.getMessage().contains("window"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(32, 16, 30, 3e-3, 1.0, 1.0, 4, 42));
        assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(32, 16, 30, -1, 1.0, 0.2, 4, 42));
        assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(32, 16, 30, 3e-3, 0, 0.2, 4, 42));
    }
}
