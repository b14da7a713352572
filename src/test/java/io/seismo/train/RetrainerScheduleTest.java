package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.seismo.config.SeismoConfig;
import org.junit.jupiter.api.Test;

/** How many new readings the next training waits for: train.min.new.samples, or a share of what the buffer holds. */
class RetrainerScheduleTest {
    private static final long MINUTE = 60_000;

    private static Retrainer retrainer(String fraction) {
        return new Retrainer(SeismoConfig.defaults().with(Map.of("train.clock", "event", "train.interval.ms", "100",
                "train.min.new.samples", "100", "train.min.new.fraction", fraction, "train.min.samples.per.series", "50",
                "train.history", "200", "train.epochs", "1", "model.hidden.size", "4")));
    }

    /** Appends one reading to each of {@code series} series in turn until a training is due; returns how many it took. */
    private static int readingsUntilDue(Retrainer r, int series, long[] clock) {
        int n = 0;
        while (!r.due()) {
            String id = "s" + (n % series);
            if (n % series == 0) {
                clock[0] += MINUTE;
            }
            r.append(id, clock[0], Math.sin(clock[0] / (7.0 * MINUTE)) + 0.1 * (n % series));
            n++;
            if (n > 1_000_000) {
                throw new AssertionError("never due");
            }
        }
        return n;
    }

    private static void trainOnce(Retrainer r) {
        r.train((e, m, t, v) -> { }, (s, n) -> { });
    }

    @Test
    void shouldWaitForAShareOfTheHeldValuesWhenThatIsMoreThanTheCount() {
        Retrainer r = retrainer("0.25");
        long[] clock = {0};
        int first = readingsUntilDue(r, 40, clock);
        assertEquals(49 * 40 + 1, first, "first training once one series has 50 values");
        assertEquals(first, r.buffer().held());
        trainOnce(r);
        assertEquals(491, readingsUntilDue(r, 40, clock), "a quarter of the 1,961 values held, rounded up");
        long held = r.buffer().held();
        trainOnce(r);
        assertEquals((held + 3) / 4, readingsUntilDue(r, 40, clock), "a quarter of what was held at that training");
        while (r.buffer().held() < 40 * 200) {
            trainOnce(r);
            readingsUntilDue(r, 40, clock);
        }
        trainOnce(r);
        assertEquals(2_000, readingsUntilDue(r, 40, clock), "a full buffer (40 x train.history) holds 8,000: a quarter is new");
    }

    @Test
    void shouldLetTheCountRuleForAFewSeries() {
        Retrainer r = retrainer("0.25");
        long[] clock = {0};
        readingsUntilDue(r, 1, clock);
        for (int i = 0; i < 3; i++) {
            trainOnce(r);
            assertEquals(100, readingsUntilDue(r, 1, clock), "one series holds at most 200 values: 50 < train.min.new.samples");
        }
    }

    @Test
    void shouldCountOnlyWhenTheShareIsZero() {
        Retrainer r = retrainer("0");
        long[] clock = {0};
        readingsUntilDue(r, 40, clock);
        for (int i = 0; i < 3; i++) {
            trainOnce(r);
            assertEquals(100, readingsUntilDue(r, 40, clock));
        }
    }

    @Test
    void shouldForgetTheValuesOfDroppedSeries() {
        SampleBuffer buffer = new SampleBuffer(10, 2);
        for (int i = 0; i < 15; i++) {
            buffer.append("a", i, i);
        }
        buffer.append("b", 0, 0);
        assertEquals(11, buffer.held(), "a's ring is full at 10");
        buffer.append("c", 0, 0);
        assertEquals(2, buffer.held(), "a, least recently updated, is dropped with its 10 values");
    }
}
