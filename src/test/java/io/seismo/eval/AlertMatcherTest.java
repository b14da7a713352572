package io.seismo.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.seismo.eval.AlertMatcher.Conventions;
import io.seismo.eval.AlertMatcher.Tally;
import io.seismo.eval.AlertMatcher.Verdict;
import org.junit.jupiter.api.Test;

/** Small known cases of matching alerts to labelled windows, each counted by hand. */
class AlertMatcherTest {
    private static final long[] W1 = {100, 200};
    private static final long[] W2 = {500, 600};

    @Test
    void shouldCountAnAlertInsideAWindowOnceAsACaughtWindowAndATruePositive() {
        AlertMatcher.Match m = AlertMatcher.match(List.of(W1), new long[] {150});
        assertEquals(new Tally(1, 1, 1, 0, 0), m.tally());
        assertArrayEquals(new Verdict[] {Verdict.TRUE_POSITIVE}, m.verdicts());
        assertEquals(1.0, m.tally().precision(Conventions.UNDEFINED_WHEN_EMPTY));
        assertEquals(1.0, m.tally().recall(Conventions.UNDEFINED_WHEN_EMPTY));
        assertEquals(1.0, m.tally().f1(Conventions.UNDEFINED_WHEN_EMPTY));
    }

    @Test
    void shouldCatchAWindowOnceHoweverManyAlertsFallInsideIt() {
        AlertMatcher.Match m = AlertMatcher.match(List.of(W1, W2), new long[] {120, 180});
        Tally t = m.tally();
        assertEquals(2, t.windows());
        assertEquals(1, t.caught(), "two alerts in one window are one hit");
        assertEquals(1, t.missed());
        assertEquals(2, t.truePositives(), "both alerts are right");
        assertEquals(0, t.falsePositives());
        assertEquals(0.5, t.recall(Conventions.UNDEFINED_WHEN_EMPTY));
        assertEquals(1.0, t.precision(Conventions.UNDEFINED_WHEN_EMPTY));
        assertEquals(0, m.firstAlert()[0], "the first alert inside, in the order given");
        assertEquals(120, m.firstAlertIn(0));
    }

    @Test
    void shouldCountAnAlertOutsideEveryWindowAsAFalsePositive() {
        AlertMatcher.Match m = AlertMatcher.match(List.of(W1, W2), new long[] {300, 550});
        assertArrayEquals(new Verdict[] {Verdict.FALSE_POSITIVE, Verdict.TRUE_POSITIVE}, m.verdicts());
        assertEquals(new Tally(2, 1, 1, 1, 0), m.tally());
        assertEquals(0.5, m.tally().precision(Conventions.UNDEFINED_WHEN_EMPTY));
    }

    @Test
    void shouldCountAWindowWithoutAlertsAsMissed() {
        AlertMatcher.Match m = AlertMatcher.match(List.of(W1), new long[0]);
        assertFalse(m.caught(0));
        assertEquals(-1, m.firstAlert()[0]);
        assertEquals(new Tally(1, 0, 0, 0, 0), m.tally());
        assertEquals(0.0, m.tally().recall(Conventions.UNDEFINED_WHEN_EMPTY));
    }

    @Test
    void shouldIncludeBothEndsOfAWindowAndNothingBeyond() {
        Tally t = AlertMatcher.match(List.of(W1), new long[] {99, 100, 200, 201}).tally();
        assertEquals(2, t.truePositives());
        assertEquals(2, t.falsePositives());
        assertTrue(AlertMatcher.inside(W1, 100));
        assertTrue(AlertMatcher.inside(W1, 200));
        assertFalse(AlertMatcher.inside(W1, 201));
    }

    @Test
    void shouldCountAnAlertInOverlappingWindowsOnceWhileCatchingBoth() {
        AlertMatcher.Match m = AlertMatcher.match(List.of(new long[] {100, 300}, new long[] {200, 400}), new long[] {250});
        assertEquals(new Tally(2, 2, 1, 0, 0), m.tally());
    }

    @Test
    void shouldIgnoreAlertsInsideWindowsThatAreNotJudged() {
        AlertMatcher.Match m = AlertMatcher.match(List.of(W1), List.of(W2), new long[] {550, 700});
        assertArrayEquals(new Verdict[] {Verdict.IGNORED, Verdict.FALSE_POSITIVE}, m.verdicts());
        Tally t = m.tally();
        assertEquals(new Tally(1, 0, 0, 1, 1), t);
        assertEquals(2, t.alerts());
        assertEquals(0.0, t.precision(Conventions.UNDEFINED_WHEN_EMPTY), "the ignored alert is left out of precision");
    }

    @Test
    void shouldPreferAJudgedWindowOverOneThatIsNot() {
        AlertMatcher.Match m = AlertMatcher.match(List.of(W1), List.of(W1), new long[] {150});
        assertArrayEquals(new Verdict[] {Verdict.TRUE_POSITIVE}, m.verdicts());
    }

    @Test
    void shouldAddTalliesOfSeveralSeries() {
        Tally a = AlertMatcher.match(List.of(W1), new long[] {150, 300}).tally();
        Tally b = AlertMatcher.match(List.of(W2), new long[0]).tally();
        Tally sum = a.plus(b).plus(Tally.NONE);
        assertEquals(new Tally(2, 1, 1, 1, 0), sum);
        assertEquals(0.5, sum.precision(Conventions.UNDEFINED_WHEN_EMPTY));
        assertEquals(0.5, sum.recall(Conventions.UNDEFINED_WHEN_EMPTY));
        assertEquals(0.5, sum.f1(Conventions.UNDEFINED_WHEN_EMPTY), 1e-12);
    }

    @Test
    void shouldReadNothingToCountAsEachConventionSays() {
        Tally empty = Tally.NONE;
        assertEquals(0.0, empty.precision(Conventions.ZERO_WHEN_EMPTY));
        assertEquals(0.0, empty.recall(Conventions.ZERO_WHEN_EMPTY));
        assertEquals(0.0, empty.f1(Conventions.ZERO_WHEN_EMPTY));
        assertTrue(Double.isNaN(empty.precision(Conventions.UNDEFINED_WHEN_EMPTY)));
        assertTrue(Double.isNaN(empty.recall(Conventions.UNDEFINED_WHEN_EMPTY)));
        assertTrue(Double.isNaN(empty.f1(Conventions.UNDEFINED_WHEN_EMPTY)));
    }

    @Test
    void shouldReadF1OfNothingRightAsEachConventionSays() {
        Tally allWrong = AlertMatcher.match(List.of(W1), new long[] {300}).tally();
        assertEquals(0.0, allWrong.precision(Conventions.UNDEFINED_WHEN_EMPTY));
        assertEquals(0.0, allWrong.recall(Conventions.UNDEFINED_WHEN_EMPTY));
        assertEquals(0.0, allWrong.f1(Conventions.ZERO_WHEN_EMPTY));
        assertEquals(0.0, allWrong.f1(Conventions.UNDEFINED_WHEN_EMPTY));
        assertTrue(Double.isNaN(allWrong.f1(Conventions.UNDEFINED_WHEN_NOTHING_RIGHT)), "seismo compare prints '-' there");
    }
}
