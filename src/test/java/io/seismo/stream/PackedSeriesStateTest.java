package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesDetector;
import io.seismo.detect.SeriesState;
import io.seismo.detect.Verdict;
import org.junit.jupiter.api.Test;

class PackedSeriesStateTest {
    private final DetectorSettings settings = SeismoTopology.detectorSettings(SeismoConfig.defaults());
    private final SeriesDetector detector = new SeriesDetector(settings);
    private final PackedSeriesState packed = new PackedSeriesState(settings);

    @Test
    void shouldContinueExactlyAsTheUnpackedStateWouldAtEveryStep() {
        // Two copies of a series: one kept in memory, one packed and unpacked after every reading, as the store does.
        Random random = new Random(3);
        SeriesState live = detector.newState();
        byte[] stored = packed.encode(detector.newState());
        for (int i = 0; i < 1500; i++) {
            double v = 20 + 5 * Math.sin(i / 9.0) + random.nextGaussian() + (i == 900 ? 30 : 0) + (i >= 1200 && i < 1240 ? 0 : 0);
            double value = i >= 1200 && i < 1240 ? 7.0 : v;
            Verdict a = detector.advance(live, i * 60_000L, value, null);
            SeriesState restored = packed.decode(stored);
            Verdict b = detector.advance(restored, i * 60_000L, value, null);
            assertEquals(a, b, "reading " + i);
            stored = packed.encode(restored);
            assertArrayEquals(packed.encode(live), stored, "same bytes after reading " + i);
        }
        assertEquals(packed.toAvro(stored).toString(), new SeriesStateCodec(settings).toAvro(live).toString());
    }

    @Test
    void shouldReadALayoutVersionOneStateWithAFreshLikelihood() {
        SeriesState s = detector.newState();
        Random random = new Random(4);
        for (int i = 0; i < 400; i++) {
            detector.advance(s, i * 60_000L, 10 + random.nextGaussian(), null);
        }
        byte[] current = packed.encode(s);
        // Version 1 ended before the likelihood: the error channel (a ring of 10 floats with its length, a long, two doubles),
        // an int, the range (two doubles), the time-of-day channel (ring, long, two doubles) and its 48 bins (two float
        // arrays and a byte array, each with its length).
        int likelihood = (4 + 4 * 10 + 8 + 8 + 8) + 4 + 8 + 8 + (4 + 4 * 10 + 8 + 8 + 8) + 2 * (4 + 4 * 48) + (4 + 48);
        assertEquals(600, likelihood);
        byte[] v1 = java.util.Arrays.copyOf(current, current.length - likelihood);
        v1[0] = 1;
        SeriesState old = packed.decode(v1);
        assertEquals(0, old.likelihood().observations());
        assertEquals(s.readings(), old.readings());
        assertEquals(s.spot().threshold(), old.spot().threshold(), 0.0);
        assertEquals(s.episodes(), old.episodes());
        assertTrue(s.likelihood().observations() > 0);
    }

    @Test
    void shouldRefuseAnUnknownLayoutVersion() {
        byte[] bytes = packed.encode(detector.newState());
        bytes[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> packed.decode(bytes));
    }
}
