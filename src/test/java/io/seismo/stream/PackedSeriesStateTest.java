package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.ActiveModel;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesDetector;
import io.seismo.detect.SeriesState;
import io.seismo.detect.Verdict;
import io.seismo.nn.Network;
import io.seismo.release.ModelReleases;
import io.seismo.schema.SeriesStateView;
import org.junit.jupiter.api.Test;

class PackedSeriesStateTest {
    private final DetectorSettings settings = DetectorSettings.from(SeismoConfig.defaults());
    private final SeriesDetector detector = new SeriesDetector(settings);
    private final PackedSeriesState packed = new PackedSeriesState(settings);

    @Test
    void shouldStoreAStateReadBackExactlyAsItWasStoredAtEveryStep() {
        // The store's layout rounds some fields (see PackedSeriesStateToleranceTest for what that does to detection); a
        // state read back and written again, as the processor does at every reading, loses nothing more.
        Random random = new Random(3);
        byte[] stored = packed.encode(detector.newState());
        for (int i = 0; i < 1500; i++) {
            double v = 20 + 5 * Math.sin(i / 9.0) + random.nextGaussian() + (i == 900 ? 30 : 0);
            double value = i >= 1200 && i < 1240 ? 7.0 : v;
            SeriesState restored = packed.decode(stored);
            assertArrayEquals(stored, packed.encode(restored), "the same bytes read back and written, reading " + i);
            detector.advance(restored, i * 60_000L, value, null);
            stored = packed.encode(restored);
        }
        SeriesState last = packed.decode(stored);
        assertEquals(packed.toAvro(stored).toString(), new SeriesStateCodec(settings).toAvro(last).toString());
        assertEquals(1500, last.readings());
    }

    @Test
    void shouldDecodeEverySeriesIntoOneReusedStateExactlyAsIntoAFreshOne() {
        // Four series at different stages share one decoding target, as the processor does: one still calibrating its
        // threshold, one whose model arrives late (its recurrent state changes size), one on the baseline forecaster,
        // one with a spike and a stuck stretch. Each must continue exactly as when decoded into a fresh state.
        SeismoConfig config = SeismoConfig.defaults();
        ActiveModel model = new ActiveModel(Network.initialise(ModelReleases.configuredShape(config.model()), 5), 1,
                ModelReleases.inputsOf(config.model()));
        int series = 4;
        SeriesState[] live = new SeriesState[series];
        byte[][] stored = new byte[series][];
        for (int k = 0; k < series; k++) {
            live[k] = detector.newState();
            stored[k] = packed.encode(live[k]);
        }
        SeriesState reuse = detector.newState();
        Random random = new Random(11);
        for (int i = 0; i < 1600; i++) {
            for (int k = 0; k < series; k++) {
                if (k == 0 && i > 150) {
                    continue; // stays in calibration
                }
                ActiveModel m = k == 2 || (k == 1 && i < 700) ? null : model;
                double value = 50 + 10 * Math.sin(i / (5.0 + k)) + random.nextGaussian() + (k == 3 && i == 1000 ? 80 : 0);
                if (k == 3 && i >= 1300 && i < 1340) {
                    value = 42.0;
                }
                long t = i * 60_000L + k;
                live[k] = packed.decode(stored[k]);
                Verdict a = detector.advance(live[k], t, value, m);
                SeriesState restored = packed.decodeInto(stored[k], reuse);
                Verdict b = detector.advance(restored, t, value, m);
                assertEquals(a.toString(), b.toString(), "series " + k + ", reading " + i);
                if (b.scored()) {
                    assertEquals(b.score(), restored.lastScore(), 0.0, "the state keeps the reading's score");
                }
                stored[k] = packed.encode(restored);
                assertArrayEquals(packed.encode(live[k]), stored[k], "same bytes, series " + k + ", reading " + i);
            }
        }
        assertEquals(0, live[0].spot().observations(), "series 0 is still calibrating");
        assertEquals(model.stateSize(), live[1].recurrent().length);
        assertEquals(0, live[2].recurrent().length);
        assertTrue(live[3].spot().calibrated());
    }

    @Test
    void shouldRepackAThresholdWrittenWithMorePeaksThanThisDetectorKeeps() {
        // Written by a detector keeping 512 peaks, read by one keeping 128: the ring is re-packed, newest kept.
        DetectorSettings wide = DetectorSettings.from(SeismoConfig.parse(java.util.Map.of("detect.spot.max.peaks", "512")));
        SeriesDetector wideDetector = new SeriesDetector(wide);
        SeriesState s = wideDetector.newState();
        Random random = new Random(8);
        for (int i = 0; i < 12_000; i++) {
            wideDetector.advance(s, i * 60_000L, 100 + random.nextGaussian(), null);
        }
        assertTrue(s.spot().peaks().length > 128, "peaks held: " + s.spot().peaks().length);
        byte[] bytes = new PackedSeriesState(wide).encode(s);
        SeriesState fresh = packed.decode(bytes);
        assertEquals(128, fresh.spot().peaks().length);
        assertEquals(s.spot().threshold(), fresh.spot().threshold(), 0.0);
        assertEquals(s.readings(), fresh.readings());
        SeriesState used = packed.decode(packed.encode(detector.newState()));
        assertArrayEquals(packed.encode(fresh), packed.encode(packed.decodeInto(bytes, used)));
    }

    @Test
    void shouldRefuseTrailingBytes() {
        byte[] bytes = packed.encode(detector.newState());
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 3);
        assertThrows(IllegalArgumentException.class, () -> packed.decode(longer));
    }

    /** Bytes after the likelihood in layout 5: last score, feedback, stuck-run habit, the episode's hold. */
    private static final int AFTER_LIKELIHOOD = 8 + 16 + 20 + 17;
    /** The likelihood in layout 5: two channels (ring with its length, count, mean, variance), the range, 48 bins. */
    private static final int LIKELIHOOD = 2 * (4 + 4 * 10 + 8 + 8 + 8) + 8 + 8 + 2 * (4 + 4 * 48) + (4 + 48);

    /**
     * The same state in layout version 3, as a version 3 detector wrote it: the likelihood's rings in write order (the
     * newest value at slot count - 1 mod 10), readings since the last alarm (an int) after the error channel, no hold.
     */
    private static byte[] layoutThree(byte[] latest) {
        assertEquals(596, LIKELIHOOD);
        byte[] current = layoutFour(latest);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(current).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int likelihood = current.length - AFTER_LIKELIHOOD - LIKELIHOOD;
        int channel = 4 + 4 * 10 + 24;
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(current.length + 4 - 17).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(current, 0, likelihood);
        writeRingInWriteOrder(in, likelihood, out);
        out.putInt(3);
        int rest = likelihood + channel;
        out.put(current, rest, 16);
        writeRingInWriteOrder(in, rest + 16, out);
        out.put(current, rest + 16 + channel, current.length - 17 - (rest + 16 + channel));
        out.put(0, (byte) 3);
        return out.array();
    }

    /** The same state in layout version 4, as a version 4 detector wrote it: layout 5 without the silence and the feedback taken. */
    private static byte[] layoutFour(byte[] current) {
        assertEquals(5, current[0], "derived from layout 5");
        byte[] v4 = java.util.Arrays.copyOf(current, current.length - 24);
        v4[0] = 4;
        return v4;
    }

    @Test
    void shouldReadALayoutVersionFourStateAsNeitherSilentNorJudgedAndKeepBothInLaterVersions() {
        SeriesState s = detector.newState();
        Random random = new Random(6);
        for (int i = 0; i < 400; i++) {
            detector.advance(s, i * 60_000L, 10 + random.nextGaussian() + (i >= 380 && i < 384 ? 30 : 0), null);
        }
        assertTrue(s.acceptsFeedback(s.episodes().start()), "the spike's episode can be judged");
        s.feedbackTaken();
        assertFalse(s.silentAfter(9 * 60_000L, 10), "nine gaps are not ten");
        assertTrue(s.silentAfter(20 * 60_000L, 10));
        s.arrived(1_800_000_000_000L);
        s.openSilence();
        assertEquals(400 * 60_000L, s.silentSince(), "the first missing reading was due a gap after the last");
        byte[] current = packed.encode(s);
        SeriesState back = packed.decode(current);
        assertTrue(back.silent());
        assertEquals(s.silentSince(), back.silentSince());
        assertFalse(back.acceptsFeedback(s.episodes().start()), "one verdict per episode survives the store");
        assertEquals(packed.toAvro(current).toString(), packed.toAvro(packed.encode(back)).toString());
        assertEquals(s.silentSince(), PackedSeriesState.silentSince(current));
        assertEquals(s.lastTimestamp(), PackedSeriesState.lastTimestamp(current));
        assertEquals(1_800_000_000_000L, PackedSeriesState.lastArrival(current));
        assertEquals(s.readings(), PackedSeriesState.readings(current));
        assertEquals(s.typicalGap(), PackedSeriesState.typicalGap(current), 0.0);
        byte[] five = packed.encode(s, 5);
        assertEquals(s.silentSince(), PackedSeriesState.silentSince(five));
        assertEquals(s.lastTimestamp(), PackedSeriesState.lastTimestamp(five));
        assertEquals(1_800_000_000_000L, PackedSeriesState.lastArrival(five));
        assertEquals(s.readings(), PackedSeriesState.readings(five));
        assertEquals(s.typicalGap(), PackedSeriesState.typicalGap(five), 0.0);
        assertTrue(packed.decode(five).silent());
        assertArrayEquals(current, packed.encode(packed.decode(five)), "layout 5 read back writes the same latest layout");
        current = five;
        SeriesState old = packed.decodeInto(layoutFour(current), packed.decode(current));
        assertFalse(old.silent(), "version 4 knew no silence");
        assertTrue(old.acceptsFeedback(s.episodes().start()), "nor feedback taken");
        assertEquals(SeriesState.NOT_SILENT, PackedSeriesState.silentSince(layoutFour(current)));
        assertEquals(SeriesState.NOT_ARRIVED, PackedSeriesState.lastArrival(layoutFour(current)));
        assertEquals(SeriesState.NOT_ARRIVED, old.lastArrival(), "version 4 kept no arrival");
        assertEquals(s.readings(), old.readings());
        assertEquals(s.episodes(), old.episodes());
    }

    private static void writeRingInWriteOrder(java.nio.ByteBuffer in, int at, java.nio.ByteBuffer out) {
        long count = in.getLong(at + 4 + 40);
        out.putInt(10);
        int oldest = (int) (count % 10);
        float[] ring = new float[10];
        for (int i = 0; i < 10; i++) {
            ring[(oldest + i) % 10] = in.getFloat(at + 4 + 4 * i);
        }
        for (float f : ring) {
            out.putFloat(f);
        }
        out.putLong(count).putDouble(in.getDouble(at + 4 + 40 + 8)).putDouble(in.getDouble(at + 4 + 40 + 16));
    }

    @Test
    void shouldReadALayoutVersionThreeStateWithItsRingsInOrderAndNoHold() {
        // A series with a level shift that is still open: held in the current layout.
        SeriesState s = detector.newState();
        Random random = new Random(5);
        for (int i = 0; i < 1620; i++) {
            detector.advance(s, i * 60_000L, 20 + 5 * Math.sin(i / 9.0) + 0.2 * random.nextGaussian() + (i >= 1600 ? 6 : 0), null);
        }
        assertTrue(s.inEpisode() && s.heldEpisode() && s.episodeAge() > 1, "a held episode is open");
        byte[] current = packed.encode(s, 5);
        SeriesState old = packed.decode(layoutThree(current));
        // The likelihood reads back the same, its rings put in order; the open episode goes on, no longer held.
        assertEquals(packed.toAvro(current).getLikelihoodErrors(), new SeriesStateCodec(settings).toAvro(old).getLikelihoodErrors());
        assertEquals(packed.toAvro(current).getDailyErrors(), new SeriesStateCodec(settings).toAvro(old).getDailyErrors());
        assertEquals(s.likelihood().mean(), old.likelihood().mean(), 0.0);
        assertEquals(s.episodes(), old.episodes());
        assertTrue(old.inEpisode() && !old.heldEpisode());
        assertEquals(s.readings(), old.readings());
        // It goes on as a current state: the next reading is judged.
        Verdict next = detector.advance(old, 1620 * 60_000L, 26, null);
        assertTrue(next.scored());
    }

    @Test
    void shouldReadALayoutVersionOneStateWithAFreshLikelihood() {
        SeriesState s = detector.newState();
        Random random = new Random(4);
        for (int i = 0; i < 400; i++) {
            detector.advance(s, i * 60_000L, 10 + random.nextGaussian(), null);
        }
        s.applyFeedback(true, 1.25, 4);
        byte[] current = packed.encode(s, 5);
        byte[] v3 = layoutThree(current);
        // Version 1 ended before the likelihood (600 bytes in version 3), the last score (a double) and the operators'
        // feedback (a double and two ints); version 2 before the habit (20 bytes).
        byte[] v1 = java.util.Arrays.copyOf(v3, v3.length - 20 - 600 - 8 - 16);
        v1[0] = 1;
        SeriesState old = packed.decode(v1);
        assertEquals(0, old.likelihood().observations());
        assertEquals(0.0, old.lastScore(), 0.0);
        assertEquals(1.0, old.thresholdFactor(), 0.0, "version 1 had no feedback");
        assertEquals(0, old.falseAlarms());
        assertEquals(1.25, packed.decode(current).thresholdFactor(), 0.0);
        assertEquals(1, packed.decode(current).falseAlarms());
        assertEquals(s.readings(), old.readings());
        assertEquals(s.spot().threshold(), old.spot().threshold(), 0.0);
        assertEquals(s.episodes(), old.episodes());
        assertTrue(s.likelihood().observations() > 0);
        // Read into a state that already holds another series' likelihood, the likelihood is still a fresh one.
        SeriesState reused = packed.decodeInto(current, detector.newState());
        assertArrayEquals(packed.encode(packed.decode(v1)), packed.encode(packed.decodeInto(v1, reused)));
    }

    @Test
    void shouldReadALayoutVersionTwoStateWithoutAHabitAndKeepTheHabitInLaterVersions() {
        // A flat spell at 42 every 400 readings: the second makes 42 the series' habit.
        SeriesState s = detector.newState();
        Random random = new Random(8);
        for (int i = 0; i < 1500; i++) {
            boolean flat = i >= 600 && (i - 600) % 400 < 60;
            detector.advance(s, i * 60_000L, flat ? 42.0 : 10 + random.nextGaussian(), null);
        }
        assertTrue(s.habitRun() > 0, "a recurring stuck run becomes a habit");
        assertEquals(42.0, s.habitValue(), 0.0);
        byte[] current = packed.encode(s);
        SeriesState back = packed.decode(current);
        assertEquals(s.habitRun(), back.habitRun());
        assertEquals(42.0, back.habitValue(), 0.0);
        assertEquals(packed.toAvro(current).toString(), packed.toAvro(packed.encode(back)).toString());
        byte[] five = packed.encode(s, 5);
        assertEquals(s.habitRun(), packed.decode(layoutThree(five)).habitRun());
        // Version 2 ended before the habit: the last stuck value and the habitual value (doubles) and run (an int).
        byte[] v3 = layoutThree(five);
        byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 20);
        v2[0] = 2;
        SeriesState old = packed.decodeInto(v2, packed.decode(current));
        assertEquals(0, old.habitRun(), "version 2 had no habit");
        assertEquals(s.readings(), old.readings());
        assertEquals(s.thresholdFactor(), old.thresholdFactor(), 0.0);
    }

    @Test
    void shouldReadLayoutSixAndWriteItOnInTheLatestWithTheRecentValuesWithinTheirRounding() {
        Random random = new Random(6);
        SeriesState s = detector.newState();
        for (int i = 0; i < 400; i++) {
            detector.advance(s, i * 60_000L, 100 + 20 * Math.sin(i / 15.0) + random.nextGaussian() + (i == 380 ? 90 : 0), null);
        }
        byte[] six = packed.encode(s, 6);
        assertEquals(6, six[0]);
        SeriesState back = packed.decode(six);
        byte[] latest = packed.encode(back);
        assertEquals(SeriesState.LAYOUT, latest[0]);
        SeriesStateView fromSix = packed.toAvro(latest);
        SeriesStateView direct = packed.toAvro(packed.encode(s));
        java.util.List<Double> sixValues = fromSix.getRecentValues();
        java.util.List<Double> values = direct.getRecentValues();
        assertEquals(64, values.size());
        double range = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        for (int i = 0; i < values.size(); i++) {
            // Layout 6's half steps (3 digits of each step), then the latest's 16-bit fractions of the range.
            assertEquals(values.get(i), sixValues.get(i), range * (0x1p-11 + 0x1p-16), "recent value " + i);
        }
        fromSix.setRecentValues(java.util.List.of());
        direct.setRecentValues(java.util.List.of());
        assertEquals(direct.toString(), fromSix.toString(), "every other field as it was");
    }

    @Test
    void shouldRefuseAnUnknownLayoutVersion() {
        byte[] bytes = packed.encode(detector.newState());
        bytes[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> packed.decode(bytes));
    }
}
