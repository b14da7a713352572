package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void shouldRefuseAnUnknownLayoutVersion() {
        byte[] bytes = packed.encode(detector.newState());
        bytes[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> packed.decode(bytes));
    }
}
