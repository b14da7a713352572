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

/** Training on encoded multi-input sequences, with dropout, schedules and parallel batches. */
class SequenceTrainingTest {

    private static final long HOUR = 3_600_000L;
    private static final NetworkShape SHAPE = new NetworkShape(CellType.LSTM, 1, 8, 2);

    /**
     * Hourly readings of a daily pattern plus heavy noise, each series starting at a random hour so that window
     * boundaries say nothing about the time of day; values standardised over all series.
     */
    private static List<Sequence> dailyPattern(InputEncoding encoding, int series, int hours, long seed) {
        Random random = new Random(seed);
        List<double[]> values = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        double sum = 0;
        double sumSquares = 0;
        for (int s = 0; s < series; s++) {
            long start = 1_700_000_000_000L / (24 * HOUR) * (24 * HOUR) + random.nextInt(24) * HOUR;
            double[] x = new double[hours];
            long[] t = new long[hours];
            for (int k = 0; k < hours; k++) {
                t[k] = start + k * HOUR;
                double day = 2 * Math.PI * Math.floorMod(t[k], 24 * HOUR) / (24.0 * HOUR);
                x[k] = Math.sin(day) + 0.5 * Math.sin(2 * day) + 0.5 * random.nextGaussian();
                sum += x[k];
                sumSquares += x[k] * x[k];
            }
            values.add(x);
            times.add(t);
        }
        double count = (double) series * hours;
        double mean = sum / count;
        double sd = Math.sqrt(sumSquares / count - mean * mean);
        List<Sequence> result = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            double[] x = values.get(s);
            for (int k = 0; k < hours; k++) {
                x[k] = (x[k] - mean) / sd;
            }
            result.add(Sequence.encode(x, times.get(s), HOUR, encoding));
        }
        return result;
    }

    private static TrainingConfig quick() {
        return new TrainingConfig(16, 4, 3, 1e-2, 1.0, 0.2, 3, 11);
    }

    @Test
    void calendarInputsShouldBeatValueOnlyOnATimeOfDayPatternWithNoise() {
        InputEncoding calendar = InputEncoding.parse("value,time-of-day");
        TrainingConfig config = new TrainingConfig(10, 8, 25, 1e-2, 1.0, 0.25, 5, 3);
        TrainingResult withCalendar = Trainer.trainSequences(
                Network.initialise(new NetworkShape(CellType.LSTM, calendar.inputSize(), 8, 1), 1),
                dailyPattern(calendar, 6, 24 * 25, 5), config, TrainingListener.NONE);
        TrainingResult valueOnly = Trainer.trainSequences(
                Network.initialise(new NetworkShape(CellType.LSTM, 1, 8, 1), 1),
                dailyPattern(InputEncoding.VALUE_ONLY, 6, 24 * 25, 5), config, TrainingListener.NONE);

        assertEquals(withCalendar.naiveLoss(), valueOnly.naiveLoss(), 1e-12, "same data, same validation windows");
        // The noise alone leaves about 0.25 / 0.875 = 0.29 in scaled units; knowing the hour gets close to it
        // (about 0.29 over seeds 1-5) while value-only stays near 0.42, a ratio of 0.67-0.69.
        assertTrue(withCalendar.validationLoss() < 0.8 * valueOnly.validationLoss(),
                "calendar " + withCalendar.validationLoss() + " vs value-only " + valueOnly.validationLoss());
    }

    @Test
    void valueOnlyTrainShouldMatchTrainSequencesOnWrappedValuesBitForBit() {
        List<double[]> data = TrainerTest.noisySines(2, 200, 2);
        List<Sequence> wrapped = data.stream().map(Sequence::ofValues).toList();
        Network start = Network.initialise(new NetworkShape(CellType.LSTM, 1, 8, 1), 5);
        TrainingResult plain = Trainer.train(start, data, quick(), TrainingListener.NONE);
        TrainingResult sequences = Trainer.trainSequences(start, wrapped, quick(), TrainingListener.NONE);
        assertArrayEquals(plain.network().parameters(), sequences.network().parameters(), 0.0);
        assertEquals(plain.naiveLoss(), sequences.naiveLoss(), 0.0);
        assertEquals(Trainer.loss(plain.network(), data, 16), Trainer.sequenceLoss(plain.network(), wrapped, 16),
                0.0);
    }

    @Test
    void sequenceLossShouldMatchSteppingTheNetworkWithEncodedInputs() {
        InputEncoding encoding = InputEncoding.parse("value,time-of-day,day-of-week,gap");
        Sequence sequence = dailyPattern(encoding, 1, 23, 9).get(0);
        Network network = Network.initialise(new NetworkShape(CellType.LSTM, 6, 5, 2), 3);
        double[] input = new double[6];
        double sumSquares = 0;
        int window = 5;
        // 22 steps make four whole windows of five; the last two steps do not fill a window.
        for (int start = 0; start + window <= 20; start += window) {
            double[] state = network.newState();
            double[] scratch = network.newScratch();
            for (int t = start; t < start + window; t++) {
                System.arraycopy(sequence.inputs(), t * 6, input, 0, 6);
                double error = network.step(state, input, scratch) - sequence.targets()[t];
                sumSquares += error * error;
            }
        }
        assertEquals(sumSquares / 20, Trainer.sequenceLoss(network, List.of(sequence), window), 1e-14);
    }

    @Test
    void encodeShouldPairEachStepsInputsWithTheNextValue() {
        double[] values = {0.5, -1, 2};
        long[] times = {0, HOUR, 3 * HOUR};
        Sequence sequence = Sequence.encode(values, times, HOUR, InputEncoding.parse("value,gap"));
        assertEquals(2, sequence.steps());
        assertArrayEquals(new double[] {-1, 2}, sequence.targets(), 0.0);
        assertArrayEquals(new double[] {0.5, Math.log(2), -1, Math.log(2)}, sequence.inputs(), 1e-15);
        assertEquals(0, Sequence.ofValues(new double[1]).steps());
    }

    @Test
    void sequenceShouldRejectInconsistentLengthsAndNonFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> new Sequence(2, new double[5], new double[2]));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new Sequence(2, new double[] {0, 0, 0, Double.NaN}, new double[2]));
        assertTrue(error.getMessage().contains("input 1 of step 1"), error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Sequence.encode(new double[3], new long[2], HOUR, InputEncoding.VALUE_ONLY));
    }

    @Test
    void trainSequencesShouldRejectSequencesWhoseInputSizeDiffersFromTheNetwork() {
        List<Sequence> sequences = dailyPattern(InputEncoding.parse("value,gap"), 1, 100, 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Trainer.trainSequences(Network.initialise(SHAPE, 1), sequences, quick(), TrainingListener.NONE));
        assertTrue(error.getMessage().contains("inputSize 2"), error.getMessage());
    }

    @Test
    void trainingWithDropoutShouldBeReproducibleForASeedAndDifferFromNoDropout() {
        List<double[]> data = TrainerTest.noisySines(2, 200, 2);
        Network start = Network.initialise(SHAPE, 5);
        TrainingConfig dropout = quick().withDropout(0.3);
        double[] first = Trainer.train(start, data, dropout, TrainingListener.NONE).network().parameters();
        double[] again = Trainer.train(start, data, dropout, TrainingListener.NONE).network().parameters();
        double[] none = Trainer.train(start, data, quick(), TrainingListener.NONE).network().parameters();
        double[] otherSeed = Trainer.train(start, data, dropout.withSeed(12), TrainingListener.NONE)
                .network().parameters();
        assertArrayEquals(first, again, 0.0);
        assertFalse(Arrays.equals(first, none));
        assertFalse(Arrays.equals(first, otherSeed));
    }

    @Test
    void dropoutShouldNotAffectInferenceOrTheReportedLosses() {
        List<double[]> data = TrainerTest.noisySines(2, 200, 3);
        TrainingConfig config = quick().withDropout(0.5);
        TrainingResult result = Trainer.train(Network.initialise(SHAPE, 5), data, config, TrainingListener.NONE);
        Network trained = result.network();
        Network sameWeights = Network.fromParameters(SHAPE, trained.parameters());
        double[] stateA = trained.newState();
        double[] stateB = sameWeights.newState();
        double[] scratch = trained.newScratch();
        for (int t = 0; t < 50; t++) {
            assertEquals(sameWeights.step(stateB, data.get(0)[t], scratch),
                    trained.step(stateA, data.get(0)[t], scratch), 0.0, "step " + t);
        }
        // With no windows held out, the reported losses are the dropout-free loss of the returned weights.
        TrainingResult allTraining = Trainer.train(Network.initialise(SHAPE, 5), data,
                new TrainingConfig(16, 4, 3, 1e-2, 1.0, 0.0, 3, 11).withDropout(0.5), TrainingListener.NONE);
        double evaluated = Trainer.loss(allTraining.network(), data, 16);
        assertEquals(evaluated, allTraining.trainLoss(), 0.0);
        assertEquals(evaluated, allTraining.validationLoss(), 0.0);
    }

    @Test
    void stepDecayWithFactorOneShouldTrainExactlyLikeConstantAndCosineShouldDiffer() {
        List<double[]> data = TrainerTest.noisySines(2, 200, 2);
        Network start = Network.initialise(SHAPE, 5);
        double[] constant = Trainer.train(start, data, quick(), TrainingListener.NONE).network().parameters();
        double[] flatStep = Trainer.train(start, data, quick().withSchedule(LearningRateSchedule.step(1, 1.0)),
                TrainingListener.NONE).network().parameters();
        double[] cosine = Trainer.train(start, data, quick().withSchedule(LearningRateSchedule.cosine(0.1)),
                TrainingListener.NONE).network().parameters();
        assertArrayEquals(constant, flatStep, 0.0);
        assertFalse(Arrays.equals(constant, cosine));
    }

    @Test
    void parallelRunsShouldBeIdenticalAcrossRunsAndThreadCountsAndCloseToSingleThreaded() {
        InputEncoding encoding = InputEncoding.parse("value,time-of-day,gap");
        List<Sequence> data = dailyPattern(encoding, 3, 300, 4);
        Network start = Network.initialise(new NetworkShape(CellType.LSTM, encoding.inputSize(), 8, 2), 5);
        TrainingConfig config = new TrainingConfig(12, 7, 3, 1e-2, 1.0, 0.2, 3, 11).withDropout(0.2);
        double[] single = Trainer.trainSequences(start, data, config, TrainingListener.NONE).network().parameters();
        double[] two = Trainer.trainSequences(start, data, config.withThreads(2), TrainingListener.NONE)
                .network().parameters();
        double[] twoAgain = Trainer.trainSequences(start, data, config.withThreads(2), TrainingListener.NONE)
                .network().parameters();
        double[] three = Trainer.trainSequences(start, data, config.withThreads(3), TrainingListener.NONE)
                .network().parameters();
        double[] sixteen = Trainer.trainSequences(start, data, config.withThreads(16), TrainingListener.NONE)
                .network().parameters();
        assertArrayEquals(two, twoAgain, 0.0);
        assertArrayEquals(two, three, 0.0);
        assertArrayEquals(two, sixteen, 0.0);
        assertArrayEquals(single, two, 1e-6, "only the order of additions differs from one thread");
    }

    @Test
    void shardedGradientShouldNotDependOnThePoolSizeAndMatchTheDirectGradient() {
        NetworkShape shape = new NetworkShape(CellType.LSTM, 3, 6, 2);
        double[] params = Network.initialise(shape, 9).parameters();
        Random random = new Random(2);
        int windows = 11;
        int steps = 5;
        double[] inputs = random.doubles((long) windows * steps * 3, -1, 1).toArray();
        double[] targets = random.doubles((long) windows * steps, -1, 1).toArray();
        double[] masks = new double[NextValueObjective.maskSize(shape, windows, steps)];
        NextValueObjective.drawMasks(0.3, new java.util.SplittableRandom(1), masks, masks.length);

        double[] direct = new double[params.length];
        double directLoss = NextValueObjective.lossAndGradient(shape, params, inputs, targets, windows, steps, masks,
                direct, new Workspace(shape, steps));
        double[] reference = null;
        double referenceLoss = 0;
        for (int threads = 1; threads <= 4; threads++) {
            double[] gradient = new double[params.length];
            double loss;
            try (ShardedGradient sharded = new ShardedGradient(shape, steps, threads, windows)) {
                loss = sharded.lossAndGradient(params, inputs, targets, windows, masks, gradient);
            }
            if (reference == null) {
                reference = gradient;
                referenceLoss = loss;
            }
            assertArrayEquals(reference, gradient, 0.0, threads + " threads");
            assertEquals(referenceLoss, loss, 0.0, threads + " threads");
        }
        assertEquals(directLoss, referenceLoss, 1e-14);
        assertArrayEquals(direct, reference, 1e-14);
    }

    @Test
    void configShouldValidateTheNewFieldsAndKeepSensibleDefaults() {
        TrainingConfig defaults = TrainingConfig.defaults();
        assertEquals(0.0, defaults.dropout(), 0.0);
        assertEquals(LearningRateSchedule.constant(), defaults.schedule());
        assertEquals(1, defaults.threads());
        assertEquals(0.3, defaults.withDropout(0.3).dropout(), 0.0);
        assertEquals(4, defaults.withThreads(4).threads());
        assertEquals(8, defaults.withBatchSize(8).batchSize());
        assertEquals(2, defaults.withPatience(2).patience());
        assertThrows(IllegalArgumentException.class, () -> defaults.withDropout(0.9));
        assertThrows(IllegalArgumentException.class, () -> defaults.withDropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withThreads(TrainingConfig.MAX_THREADS + 1));
        assertThrows(NullPointerException.class, () -> defaults.withSchedule(null));
    }
}
