package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class SampleBufferTest {
    @Test
    void shouldKeepOnlyTheMostRecentValuesOfASeries() {
        SampleBuffer buffer = new SampleBuffer(4, 10);
        for (int i = 1; i <= 10; i++) {
            buffer.append("a", i, i);
        }
        ModelTrainer.TimedValues kept = buffer.sample(1, 4, 0).get(0);
        assertArrayEquals(new double[] {7, 8, 9, 10}, kept.values());
        assertArrayEquals(new long[] {7, 8, 9, 10}, kept.timestamps());
        assertEquals(10, buffer.appended());
        assertEquals(1, buffer.firstTimestamp());
        assertEquals(10, buffer.lastTimestamp());
    }

    @Test
    void shouldDropTheLeastRecentlyUpdatedSeriesBeyondTheLimit() {
        SampleBuffer buffer = new SampleBuffer(2, 3);
        for (int s = 0; s < 1000; s++) {
            buffer.append("series-" + s, s, s);
            buffer.append("series-" + s, s, s);
        }
        assertEquals(3, buffer.seriesCount());
        List<ModelTrainer.TimedValues> kept = buffer.sample(10, 2, 1);
        assertEquals(3, kept.size());
        assertArrayEquals(new double[] {997, 997}, kept.get(0).values());
        assertArrayEquals(new double[] {999, 999}, kept.get(2).values());
    }

    @Test
    void shouldSampleOnlyReadySeriesDeterministicallyForASeed() {
        SampleBuffer buffer = new SampleBuffer(50, 1000);
        for (int s = 0; s < 100; s++) {
            for (int i = 0; i < (s % 2 == 0 ? 50 : 10); i++) {
                buffer.append(String.format("s%03d", s), i, s * 1000 + i);
            }
        }
        assertEquals(50, buffer.readySeries(50));
        List<double[]> a = buffer.sample(20, 50, 7).stream().map(ModelTrainer.TimedValues::values).toList();
        List<double[]> b = buffer.sample(20, 50, 7).stream().map(ModelTrainer.TimedValues::values).toList();
        List<double[]> c = buffer.sample(20, 50, 8).stream().map(ModelTrainer.TimedValues::values).toList();
        assertEquals(20, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
            assertEquals(0, ((int) a.get(i)[0] / 1000) % 2, "only series with enough values");
        }
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            differs |= a.get(i)[0] != c.get(i)[0];
        }
        assertNotEquals(false, differs, "another seed samples other series");
    }

    @Test
    void shouldTellTheOldestOffsetStillHeldPerPartition() {
        SampleBuffer buffer = new SampleBuffer(3, 2);
        // Partition 0 carries a and b interleaved, offsets 0..9; partition 1 carries c at offsets 100.. .
        for (int i = 0; i < 5; i++) {
            buffer.append("a", 0, 2L * i, i, i);
            buffer.append("b", 0, 2L * i + 1, i, i);
        }
        assertEquals(java.util.Map.of(0, 4L), buffer.oldestOffsets(), "a holds offsets 4, 6, 8 and b 5, 7, 9");
        buffer.append("c", 1, 100, 0, 0);
        assertEquals(java.util.Map.of(0, 5L, 1, 100L), buffer.oldestOffsets(), "a, the least recently updated, was dropped");
        buffer.append("untracked", 0, 0);
        assertEquals(java.util.Map.of(1, 100L), buffer.oldestOffsets(), "values without an offset need no re-reading");
    }

    @Test
    void shouldRejectUselessLimits() {
        assertThrows(IllegalArgumentException.class, () -> new SampleBuffer(1, 10));
        assertThrows(IllegalArgumentException.class, () -> new SampleBuffer(10, 0));
    }
}
