package io.seismo.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    private static final long START = 1_000_000L;
    private static final long STEP = 1_000L;

    private static SimConfig config(int series, long seed, int warmup, int meanGap) {
        return new SimConfig(series, seed, START, STEP, warmup, meanGap);
    }

    /** Same seed, but no anomaly can start within {@code ticks}: the clean signal. */
    private static List<SimReading> cleanRun(SimConfig c, int ticks) {
        SimConfig clean =
                new SimConfig(c.series(), c.seed(), c.startMillis(), c.stepMillis(), ticks, c.meanGapSteps());
        return new Simulator(clean).advance(ticks);
    }

    @Test
    void sameConfigYieldsSameReadingsAndLabels() {
        Simulator a = new Simulator(config(6, 42, 100, 300));
        Simulator b = new Simulator(config(6, 42, 100, 300));
        assertEquals(a.advance(3000), b.advance(3000));
        assertEquals(a.injected(), b.injected());
        assertTrue(!a.injected().isEmpty());
    }

    @Test
    void longDropoutsAreGapsWhenAskedAndEverythingElseIsTheSame() {
        Simulator zeros = new Simulator(config(8, 11, 100, 200));
        Simulator gaps = new Simulator(config(8, 11, 100, 200), true);
        List<SimReading> all = zeros.advance(6000);
        List<SimReading> sent = gaps.advance(6000);
        assertEquals(zeros.injected(), gaps.injected(), "the same labels");
        List<InjectedAnomaly> long_ = zeros.injected().stream().filter(a -> a.kind() == AnomalyKind.DROPOUT
                && (a.end() - a.start()) / STEP + 1 >= 16).toList();
        assertTrue(!long_.isEmpty(), "some dropouts are long");
        java.util.function.Predicate<SimReading> inLongDropout = r -> long_.stream().anyMatch(a -> a.series().equals(r.series())
                && r.timestamp() >= a.start() && r.timestamp() <= a.end());
        assertEquals(all.stream().filter(inLongDropout.negate()).toList(), sent, "only the long dropouts' readings are missing");
        assertTrue(all.stream().filter(inLongDropout).allMatch(r -> r.value() == 0.0), "which read 0 without gaps");
        assertTrue(zeros.injected().stream().anyMatch(a -> a.kind() == AnomalyKind.DROPOUT && !long_.contains(a)),
                "short dropouts stay zeros");
    }

    @Test
    void differentSeedsYieldDifferentReadings() {
        assertNotEquals(
                new Simulator(config(4, 1, 100, 300)).advance(100),
                new Simulator(config(4, 2, 100, 300)).advance(100));
    }

    @Test
    void eachTickHasOneReadingPerSeriesAtOneTimestampStepApart() {
        Simulator sim = new Simulator(config(5, 7, 0, 300));
        assertEquals(
                List.of(
                        "sensor-000-seasonal",
                        "sensor-001-trending",
                        "sensor-002-noisy",
                        "sensor-003-random-walk",
                        "sensor-004-seasonal"),
                sim.seriesIds());
        assertEquals(Shape.RANDOM_WALK, sim.shapeOf("sensor-003-random-walk"));
        for (int t = 0; t < 3; t++) {
            assertEquals(t, sim.tick());
            List<SimReading> tick = sim.nextTick();
            assertEquals(sim.seriesIds(), tick.stream().map(SimReading::series).toList());
            long expected = START + t * STEP;
            assertTrue(tick.stream().allMatch(r -> r.timestamp() == expected), "timestamps of tick " + t);
        }
        assertEquals(3, sim.tick());
    }

    @Test
    void noAnomalyStartsDuringWarmup() {
        int warmup = 700;
        Simulator sim = new Simulator(config(8, 3, warmup, 200));
        sim.advance(5000);
        assertTrue(!sim.injected().isEmpty());
        long firstAllowed = START + warmup * STEP;
        for (InjectedAnomaly a : sim.injected()) {
            assertTrue(a.start() >= firstAllowed, "starts in warm-up: " + a);
        }
    }

    @Test
    void injectedListsOnlyAnomaliesWhoseStartWasEmitted() {
        Simulator sim = new Simulator(config(4, 5, 0, 200));
        for (int t = 0; t < 2000; t++) {
            sim.nextTick();
            long lastEmitted = START + t * STEP;
            for (InjectedAnomaly a : sim.injected()) {
                assertTrue(a.start() <= lastEmitted, a + " listed before its start was emitted");
            }
        }
    }

    @Test
    void readingsDifferFromTheCleanSignalExactlyInsideLabels() {
        SimConfig c = config(8, 11, 200, 250);
        int ticks = 6000;
        Simulator sim = new Simulator(c);
        List<SimReading> actual = sim.advance(ticks);
        List<SimReading> clean = cleanRun(c, ticks);
        Map<String, List<InjectedAnomaly>> labels =
                sim.injected().stream().collect(Collectors.groupingBy(InjectedAnomaly::series));
        Map<InjectedAnomaly, Integer> changed = new HashMap<>();
        for (int i = 0; i < actual.size(); i++) {
            SimReading r = actual.get(i);
            assertEquals(clean.get(i).series(), r.series());
            boolean differs = r.value() != clean.get(i).value();
            List<InjectedAnomaly> covering =
                    labels.getOrDefault(r.series(), List.of()).stream()
                            .filter(a -> a.covers(r.timestamp()))
                            .toList();
            assertTrue(covering.size() <= 1, "overlapping labels " + covering);
            if (differs) {
                assertEquals(1, covering.size(), "changed reading outside any label: " + r);
                changed.merge(covering.get(0), 1, Integer::sum);
            }
        }
        long lastTimestamp = START + (ticks - 1) * STEP;
        for (InjectedAnomaly a : sim.injected()) {
            long length = (Math.min(a.end(), lastTimestamp) - a.start()) / STEP + 1;
            assertEquals(length, (long) changed.getOrDefault(a, 0), "every reading of " + a + " is changed");
        }
    }

    @Test
    void spikesAndDipsAreAtLeastSixNoiseSdAwayFromTheCleanSignal() {
        SimConfig c = config(8, 13, 200, 200);
        int ticks = 8000;
        Simulator sim = new Simulator(c);
        Map<String, SimReading> actual = byKey(sim.advance(ticks));
        Map<String, SimReading> clean = byKey(cleanRun(c, ticks));
        int checked = 0;
        for (InjectedAnomaly a : sim.injected()) {
            if (a.kind() != AnomalyKind.SPIKE && a.kind() != AnomalyKind.DIP) {
                continue;
            }
            for (long t = a.start(); t <= a.end() && t <= START + (ticks - 1) * STEP; t += STEP) {
                String key = a.series() + "@" + t;
                double delta = actual.get(key).value() - clean.get(key).value();
                double sd = sim.noiseSd(a.series());
                if (a.kind() == AnomalyKind.SPIKE) {
                    assertTrue(delta >= 6 * sd, a + " rises only " + delta / sd + " sd");
                } else {
                    assertTrue(-delta >= 6 * sd, a + " falls only " + -delta / sd + " sd");
                }
                checked++;
            }
        }
        assertTrue(checked > 10, "too few spikes/dips checked: " + checked);
    }

    @Test
    void stuckSensorRepeatsOneReadingForTheWholeLabel() {
        SimConfig c = config(8, 17, 200, 200);
        int ticks = 8000;
        Simulator sim = new Simulator(c);
        Map<String, SimReading> actual = byKey(sim.advance(ticks));
        int checked = 0;
        for (InjectedAnomaly a : sim.injected()) {
            if (a.kind() != AnomalyKind.STUCK || a.end() > START + (ticks - 1) * STEP) {
                continue;
            }
            double frozen = actual.get(a.series() + "@" + (a.start() - STEP)).value();
            for (long t = a.start(); t <= a.end(); t += STEP) {
                assertEquals(frozen, actual.get(a.series() + "@" + t).value(), 0.0, a + " at " + t);
            }
            assertTrue((a.end() - a.start()) / STEP + 1 >= 30, "stuck stretch too short: " + a);
            checked++;
        }
        assertTrue(checked > 3, "too few stuck labels checked: " + checked);
    }

    @Test
    void everyKindIsGeneratedOverALongRun() {
        Simulator sim = new Simulator(config(4, 19, 100, 200));
        sim.advance(10_000);
        Set<AnomalyKind> seen = EnumSet.noneOf(AnomalyKind.class);
        sim.injected().forEach(a -> seen.add(a.kind()));
        assertEquals(EnumSet.allOf(AnomalyKind.class), seen);
    }

    @Test
    void anomaliesOfASeriesAreSeparatedByANormalStretchAndAverageTheMeanGap() {
        int meanGap = 400;
        int ticks = 40_000;
        Simulator sim = new Simulator(config(4, 23, 0, meanGap));
        sim.advance(ticks);
        Map<String, List<InjectedAnomaly>> bySeries =
                sim.injected().stream().collect(Collectors.groupingBy(InjectedAnomaly::series));
        assertEquals(4, bySeries.size());
        for (List<InjectedAnomaly> labels : bySeries.values()) {
            for (int i = 1; i < labels.size(); i++) {
                long normalSteps = (labels.get(i).start() - labels.get(i - 1).end()) / STEP - 1;
                assertTrue(
                        normalSteps >= SimConfig.MIN_NORMAL_STEPS,
                        "only " + normalSteps + " normal steps before " + labels.get(i));
            }
            double expected = (double) ticks / meanGap;
            assertTrue(
                    Math.abs(labels.size() - expected) < 0.2 * expected,
                    labels.size() + " anomalies, expected about " + expected);
        }
    }

    @Test
    void randomWalkRevertsToItsMeanInsteadOfWanderingOff() {
        SimConfig c = config(4, 29, 0, 400);
        List<SimReading> clean = cleanRun(c, 50_000);
        String id = "sensor-003-random-walk";
        double sd = new Simulator(c).noiseSd(id);
        double[] values =
                clean.stream().filter(r -> r.series().equals(id)).mapToDouble(SimReading::value).toArray();
        double mean = java.util.Arrays.stream(values).average().orElseThrow();
        for (double v : values) {
            assertTrue(Math.abs(v - mean) < 40 * sd, "walked off to " + v + " (mean " + mean + ")");
        }
    }

    @Test
    void configRejectsInvalidValuesWithClearMessages() {
        assertMessage("series must be at least 1", () -> config(0, 1, 0, 300));
        assertMessage("stepMillis must be positive", () -> new SimConfig(1, 1, 0, 0, 0, 300));
        assertMessage("warmupSteps must not be negative", () -> config(1, 1, -1, 300));
        assertMessage("meanGapSteps must be at least 200", () -> config(1, 1, 0, 199));
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static Map<String, SimReading> byKey(List<SimReading> readings) {
        Map<String, SimReading> map = new HashMap<>();
        readings.forEach(r -> map.put(r.series() + "@" + r.timestamp(), r));
        return map;
    }
}
