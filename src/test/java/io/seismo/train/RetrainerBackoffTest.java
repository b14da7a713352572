package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.seismo.config.SeismoConfig;
import org.junit.jupiter.api.Test;

/** The wait between trainings doubles with each candidate the gate refuses, up to train.backoff.max, and only then. */
class RetrainerBackoffTest {
    private static final long MINUTE = 60_000;

    /** A retrainer on the event clock whose gate refuses every candidate (a margin no model can meet). */
    private static Retrainer refusing(int backoffMax) {
        return new Retrainer(SeismoConfig.defaults().with(Map.of("train.clock", "event", "train.interval.ms", "60000",
                "train.min.new.samples", "100", "train.min.samples.per.series", "50", "train.history", "400", "train.epochs", "1",
                "model.hidden.size", "4", "train.validation.margin", "0.5", "train.backoff.max", Integer.toString(backoffMax))));
    }

    /** Appends readings of a noisy cycle until the next training is due; returns how many it took. */
    private static int readingsUntilDue(Retrainer r, long[] clock) {
        int n = 0;
        while (!r.due()) {
            clock[0] += MINUTE;
            r.append("s", clock[0], Math.sin(clock[0] / (7.0 * MINUTE)) + 0.01 * (clock[0] / MINUTE % 5));
            n++;
            if (n > 100_000) {
                throw new AssertionError("never due");
            }
        }
        return n;
    }

    @Test
    void shouldDoubleTheWaitAfterEachRefusalUpToTheCap() {
        Retrainer r = refusing(4);
        long[] clock = {0};
        readingsUntilDue(r, clock);
        int[] waits = new int[4];
        for (int i = 0; i < waits.length; i++) {
            Retrainer.Outcome outcome = r.train((e, m, t, v) -> { }, (s, n) -> { });
            assertFalse(outcome.accepted(), "the gate refuses: " + outcome.refusal());
            waits[i] = readingsUntilDue(r, clock);
        }
        assertEquals(200, waits[0], "twice train.min.new.samples after one refusal");
        assertEquals(400, waits[1], "four times after two");
        assertEquals(400, waits[2], "capped at train.backoff.max");
        assertEquals(400, waits[3]);
    }

    @Test
    void shouldNotBackOffByDefault() {
        Retrainer r = refusing(1);
        long[] clock = {0};
        readingsUntilDue(r, clock);
        for (int i = 0; i < 3; i++) {
            assertFalse(r.train((e, m, t, v) -> { }, (s, n) -> { }).accepted());
            assertEquals(100, readingsUntilDue(r, clock), "train.min.new.samples, refusal or not");
        }
        assertTrue(SeismoConfig.defaults().train().backoffMax() == 1, "off unless asked for");
    }
}
