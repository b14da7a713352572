package io.seismo.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import io.seismo.nn.CellType;
import io.seismo.nn.InputEncoding;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import org.junit.jupiter.api.Test;

class SeriesDetectorTest {
    private static final long STEP = 60_000;
    /**
     * The detector steps through the float32 InferenceKernel, which agrees with the exact Network.step used for the
     * expectations here to about 1e-6 in scaled units over a window (float rounding, relative 6e-8 per operation);
     * 1e-5 scaled leaves a margin yet is far below the gap between a re-warmed model and any other state.
     */
    private static final double KERNEL_TOLERANCE = 1e-5;
    private final DetectorSettings settings = new DetectorSettings(30, 2000, 0.5, 1.0,
            new SpotConfig(1e-4, 200, 0.98, 128, 0, 0.0), 5, 64, 12);
    private final SeriesDetector detector = new SeriesDetector(settings);

    private static double wave(int i, Random noise) {
        return 50 + 5 * Math.sin(2 * Math.PI * i / 40) + 0.1 * noise.nextGaussian();
    }

    @Test
    void shouldNotScoreDuringWarmUp() {
        SeriesState s = detector.newState();
        Random noise = new Random(1);
        for (int i = 0; i < settings.warmupReadings(); i++) {
            Verdict v = detector.advance(s, i * STEP, wave(i, noise), null);
            assertFalse(v.scored(), "reading " + i);
        }
        assertTrue(detector.advance(s, 31 * STEP, wave(31, noise), null).scored());
    }

    @Test
    void shouldExpectTheLastValueWithTheBaselineBeforeAnyModel() {
        SeriesState s = detector.newState();
        Random noise = new Random(2);
        double previous = Double.NaN;
        for (int i = 0; i < 100; i++) {
            double x = wave(i, noise);
            Verdict v = detector.advance(s, i * STEP, x, null);
            if (i > 0) {
                assertEquals(previous, v.expected(), 0.0);
            }
            assertEquals(0, v.modelVersion());
            previous = x;
        }
    }

    @Test
    void shouldReWarmFromTheRecentValuesWhenAModelArrives() {
        SeriesState s = detector.newState();
        Random noise = new Random(3);
        int i = 0;
        for (; i < 300; i++) {
            detector.advance(s, i * STEP, wave(i, noise), null);
        }
        Network network = Network.initialise(new NetworkShape(CellType.LSTM, 1, 6, 1), 5);
        ActiveModel model = new ActiveModel(network, 7);

        // What the new model predicts for the next reading after seeing the stored window from a zero state.
        double[] window = s.recentValues();
        OnlineScaler scaler = OnlineScaler.restore(settings.scalerHorizon(), s.scaler());
        double[] state = network.newState();
        double[] scratch = network.newScratch();
        double p = 0;
        for (double v : window) {
            p = network.step(state, scaler.scale(v), scratch);
        }
        double expected = scaler.unscale(p);

        Verdict first = detector.advance(s, i * STEP, wave(i, noise), model);
        assertEquals(64, window.length);
        assertEquals(expected, first.expected(), KERNEL_TOLERANCE * scaler.std(),
                "the first prediction after the swap is the re-warmed model's");
        assertEquals(7, first.modelVersion());
        assertEquals(7, s.modelVersion());
        assertEquals(12, s.recurrent().length);
    }

    @Test
    void shouldFeedCalendarInputsAndReWarmAtEvenlySpacedTimes() {
        SeriesState s = detector.newState();
        Random noise = new Random(6);
        int i = 0;
        for (; i < 200; i++) {
            detector.advance(s, i * STEP, wave(i, noise), null);
        }
        assertEquals(STEP, s.typicalGap(), 1e-6, "the typical gap is learned from the timestamps");
        InputEncoding inputs = InputEncoding.parse("value,time-of-day,day-of-week,gap");
        Network network = Network.initialise(new NetworkShape(CellType.GRU, inputs.inputSize(), 5, 1), 9);
        ActiveModel model = new ActiveModel(network, 2, inputs);

        double[] window = s.recentValues();
        OnlineScaler scaler = OnlineScaler.restore(settings.scalerHorizon(), s.scaler());
        double[] state = network.newState();
        double[] scratch = network.newScratch();
        double[] x = new double[inputs.inputSize()];
        double p = 0;
        for (int k = 0; k < window.length; k++) {
            long t = (i - window.length + k) * STEP;
            inputs.encode(scaler.scale(window[k]), t, k == 0 ? InputEncoding.NO_PREVIOUS : t - STEP, STEP, x);
            p = network.step(state, x, scratch);
        }
        Verdict first = detector.advance(s, i * STEP, wave(i, noise), model);
        assertEquals(scaler.unscale(p), first.expected(), KERNEL_TOLERANCE * scaler.std());
        assertThrows(IllegalArgumentException.class, () -> new ActiveModel(network, 3, InputEncoding.VALUE_ONLY),
                "a model must read the inputs it was trained on");
    }

    @Test
    void shouldFlagAStuckSensorButNotASeriesThatIsFlatFromTheStart() {
        SeriesState varying = detector.newState();
        Random noise = new Random(4);
        int i = 0;
        for (; i < 400; i++) {
            detector.advance(varying, i * STEP, wave(i, noise), null);
        }
        double frozen = wave(i, noise);
        boolean flagged = false;
        for (int k = 0; k < 30; k++, i++) {
            flagged |= detector.advance(varying, i * STEP, frozen, null).anomalous();
        }
        assertTrue(flagged, "a frozen reading in a varying series is a stuck sensor");

        SeriesState flat = detector.newState();
        for (int k = 0; k < 500; k++) {
            assertFalse(detector.advance(flat, k * STEP, 3.0, null).anomalous(), "reading " + k);
        }
    }

    @Test
    void shouldLearnPlateausAsNormalAndStillFlagARepeatFarLongerThanThem() {
        // A square wave with plateaus of 20 exactly equal readings: plateaus are the series' own, not a stuck sensor.
        SeriesState square = detector.newState();
        int i = 0;
        int stuckAlarms = 0;
        for (; i < 2000; i++) {
            Verdict v = detector.advance(square, i * STEP, (i / 20) % 2 == 0 ? 10.0 : 30.0, null);
            if (i > 400 && v.anomalous()) {
                stuckAlarms++;
            }
        }
        assertEquals(0, stuckAlarms, "plateaus of 20 after the threshold is learned");
        assertEquals(20, square.longestRepeatRun());
        // Frozen for 60 readings: three times the longest plateau.
        boolean flagged = false;
        for (int k = 0; k < 60; k++, i++) {
            flagged |= detector.advance(square, i * STEP, 30.0, null).anomalous();
        }
        assertTrue(flagged, "a repeat three times longer than any plateau is a stuck sensor");
        assertEquals(20, square.longestRepeatRun(), "the stuck run is not learned as normal");
    }

    @Test
    void shouldTakeARecurringLongPlateauAsTheSeriesOwnAfterItHasAlertedTwice() {
        // A noisy cycle that, from reading 600 on, goes flat for 60 readings every 400: the first two flat spells are
        // judged stuck; from the third on they are the series' habit.
        SeriesState s = detector.newState();
        Random noise = new Random(9);
        int[] alarmsPerSpell = new int[4];
        for (int i = 0; i < 2200; i++) {
            int spell = i >= 600 ? (i - 600) / 400 : -1;
            boolean flat = spell >= 0 && (i - 600) % 400 < 60;
            Verdict v = detector.advance(s, i * STEP, flat ? 42.0 : wave(i, noise), null);
            // Past the step into the spell (an error of its own): only the stuck rule can alarm there.
            if (flat && (i - 600) % 400 >= 15 && v.anomalous() && spell < 4) {
                alarmsPerSpell[spell]++;
            }
        }
        assertTrue(alarmsPerSpell[0] > 0 && alarmsPerSpell[1] > 0, "the first two spells alert: " + java.util.Arrays.toString(alarmsPerSpell));
        assertEquals(0, alarmsPerSpell[2] + alarmsPerSpell[3], "later spells are normal: " + java.util.Arrays.toString(alarmsPerSpell));
    }

    @Test
    void shouldStillFlagAFreezeAtAnotherValueAfterAHabitIsLearned() {
        // Two dropouts to 0 (60 readings each) make resting at 0 the series' habit; a freeze at an ordinary value,
        // shorter than the dropouts, is still a stuck sensor.
        SeriesState s = detector.newState();
        Random noise = new Random(12);
        int i = 0;
        for (; i < 1500; i++) {
            boolean dropout = i >= 600 && (i - 600) % 400 < 60;
            detector.advance(s, i * STEP, dropout ? 0.0 : wave(i, noise), null);
        }
        assertEquals(0.0, s.habitValue(), 0.0);
        assertTrue(s.habitRun() >= 60, "habitual run " + s.habitRun());
        double frozen = wave(i, noise);
        Verdict first = null;
        for (int k = 0; k < 40 && first == null; k++, i++) {
            Verdict v = detector.advance(s, i * STEP, frozen, null);
            if (k >= 5 && v.anomalous()) {
                first = v;
            }
        }
        assertTrue(first != null, "a freeze at " + frozen + " alerts");
        assertEquals(Reason.STUCK_SENSOR, first.reason());
    }

    @Test
    void shouldRefuseNonFiniteValues() {
        SeriesState s = detector.newState();
        assertThrows(IllegalArgumentException.class, () -> detector.advance(s, 0, Double.NaN, null));
        assertThrows(IllegalArgumentException.class, () -> detector.advance(s, 0, Double.POSITIVE_INFINITY, null));
        assertEquals(0, s.readings());
    }
}
