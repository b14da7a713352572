package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.ActiveModel;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesDetector;
import io.seismo.detect.SeriesState;
import io.seismo.detect.Verdict;
import io.seismo.nn.CellType;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import io.seismo.schema.SeriesStateView;
import org.junit.jupiter.api.Test;

class SeriesStateCodecTest {
    @Test
    void shouldGiveTheSameVerdictsWhenTheStateIsStoredAfterEveryReading() {
        SeismoConfig config = SeismoConfig.defaults();
        SeriesDetector detector = new SeriesDetector(DetectorSettings.from(config));
        SeriesStateCodec codec = new SeriesStateCodec(detector.settings());
        ActiveModel model = new ActiveModel(Network.initialise(new NetworkShape(CellType.LSTM, 1, 32, 1), 9), 1);

        SeriesState memory = detector.newState();
        SeriesStateView stored = null;
        Random random = new Random(5);
        int anomalies = 0;
        for (int i = 0; i < 1500; i++) {
            double x = 20 + 3 * Math.sin(i / 7.0) + random.nextGaussian() * 0.3 + (i % 500 == 499 ? 40 : 0);
            ActiveModel inForce = i < 700 ? null : model;
            SeriesState fromStore = stored == null ? detector.newState() : codec.fromAvro(SeismoSerdes.STATE.decode(SeismoSerdes.STATE.encode(stored)));
            Verdict viaStore = detector.advance(fromStore, i * 60_000L, x, inForce);
            stored = codec.toAvro(fromStore);
            Verdict inMemory = detector.advance(memory, i * 60_000L, x, inForce);
            assertEquals(inMemory, viaStore, "reading " + i);
            anomalies += inMemory.anomalous() ? 1 : 0;
        }
        assertTrue(anomalies > 0, "the run exercised anomalies too");
        assertEquals(1, stored.getModelVersion());
    }
}
