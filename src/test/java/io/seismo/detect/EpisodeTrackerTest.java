package io.seismo.detect;

import static io.seismo.detect.EpisodeTransition.CLOSED;
import static io.seismo.detect.EpisodeTransition.ESCALATED;
import static io.seismo.detect.EpisodeTransition.NONE;
import static io.seismo.detect.EpisodeTransition.OPENED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpisodeTrackerTest {

    private static EpisodeTransition anomalous(EpisodeTracker t, long ts, double score, SeverityBand s) {
        return t.update(true, ts, score, s);
    }

    private static EpisodeTransition normal(EpisodeTracker t, long ts) {
        return t.update(false, ts, 0.1, SeverityBand.LOW);
    }

    @Test
    void shouldEmitOneEpisodeForARunOfAnomalousReadings() {
        EpisodeTracker t = new EpisodeTracker(5);
        List<EpisodeTransition> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            seen.add(anomalous(t, 1_000 + i, 0.6, SeverityBand.LOW));
        }
        assertEquals(OPENED, seen.get(0));
        assertTrue(seen.subList(1, 20).stream().allMatch(NONE::equals), seen.toString());
        assertTrue(t.open());
        assertEquals(1_000, t.start());
        assertEquals(20, t.readings());
    }

    @Test
    void shouldEscalateOnlyWhenSeverityRisesAboveItsMaximum() {
        EpisodeTracker t = new EpisodeTracker(5);
        assertEquals(OPENED, anomalous(t, 1, 0.6, SeverityBand.LOW));
        assertEquals(ESCALATED, anomalous(t, 2, 0.8, SeverityBand.HIGH));
        assertEquals(NONE, anomalous(t, 3, 0.7, SeverityBand.MEDIUM));
        assertEquals(NONE, anomalous(t, 4, 0.8, SeverityBand.HIGH));
        assertEquals(ESCALATED, anomalous(t, 5, 0.99, SeverityBand.CRITICAL));
        assertEquals(SeverityBand.CRITICAL, t.maxSeverity());
        assertEquals(0.99, t.peakScore());
    }

    @Test
    void shouldCloseAfterTheConfiguredNumberOfNormalReadings() {
        EpisodeTracker t = new EpisodeTracker(5);
        anomalous(t, 1, 0.7, SeverityBand.MEDIUM);
        anomalous(t, 2, 0.9, SeverityBand.MEDIUM);
        for (int i = 0; i < 4; i++) {
            assertEquals(NONE, normal(t, 3 + i));
            assertTrue(t.open());
        }
        assertEquals(CLOSED, normal(t, 7));
        assertFalse(t.open());
        // The closed episode is still described, for the CLOSED event.
        assertEquals(1, t.start());
        assertEquals(2, t.readings());
        assertEquals(0.9, t.peakScore());
        assertEquals(SeverityBand.MEDIUM, t.maxSeverity());
        assertEquals(NONE, normal(t, 8));
        assertEquals(OPENED, anomalous(t, 9, 0.55, SeverityBand.LOW));
        assertEquals(9, t.start());
        assertEquals(1, t.readings());
        assertEquals(SeverityBand.LOW, t.maxSeverity());
    }

    @Test
    void shouldNotSplitAnEpisodeOnIsolatedNormalBlips() {
        EpisodeTracker t = new EpisodeTracker(5);
        List<EpisodeTransition> seen = new ArrayList<>();
        long ts = 0;
        for (int block = 0; block < 10; block++) {
            for (int i = 0; i < 3; i++) {
                seen.add(anomalous(t, ts++, 0.7, SeverityBand.LOW));
            }
            for (int i = 0; i < 4; i++) {
                seen.add(normal(t, ts++));
            }
        }
        assertEquals(1, seen.stream().filter(OPENED::equals).count());
        assertEquals(0, seen.stream().filter(CLOSED::equals).count());
        assertEquals(30, t.readings());
        assertEquals(CLOSED, normal(t, ts));
    }

    @Test
    void shouldNotReportAnythingForNormalReadingsOutsideAnEpisode() {
        EpisodeTracker t = new EpisodeTracker(3);
        for (int i = 0; i < 10; i++) {
            assertEquals(NONE, normal(t, i));
        }
        assertFalse(t.open());
    }

    @Test
    void shouldContinueIdenticallyAfterSnapshotAndRestore() {
        EpisodeTracker live = new EpisodeTracker(3);
        EpisodeTracker persisted = new EpisodeTracker(3);
        boolean[] pattern = {false, true, true, false, true, false, false, false, true, true, true, false};
        SeverityBand[] severities = SeverityBand.values();
        for (int i = 0; i < pattern.length * 5; i++) {
            boolean a = pattern[i % pattern.length];
            SeverityBand s = severities[(i * 7) % severities.length];
            EpisodeTransition expected = live.update(a, i, i * 0.01, s);
            persisted = EpisodeTracker.restore(3, persisted.snapshot());
            assertEquals(expected, persisted.update(a, i, i * 0.01, s), "reading " + i);
        }
        assertEquals(live.snapshot(), persisted.snapshot());
    }

    @Test
    void shouldRejectBadConfigurationAndState() {
        assertThrows(IllegalArgumentException.class, () -> new EpisodeTracker(0));
        assertThrows(IllegalArgumentException.class, () -> new EpisodeState(true, 0, 1, 0.5, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new EpisodeTracker(3).update(true, 0, 0.5, null));
    }
}
