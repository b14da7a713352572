package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesDetector;
import org.junit.jupiter.api.Test;

/** The detector's own work as bench times it: the same state path the processor takes, and figures that mean something. */
class DetectorWorkloadTest {
    private final SeismoConfig config = SeismoConfig.defaults().with(Map.of("model.hidden.size", "8", "model.inputs", "value"));

    @Test
    void shouldTimeTheStepOfANetworkWithCalendarInputs() {
        double perStep = new DetectorWorkload(SeismoConfig.defaults(), 2, 3).nanosPerStep(5_000);
        assertTrue(perStep > 0 && Double.isFinite(perStep), "the default inputs are five: " + perStep);
    }

    @Test
    void shouldKeepEachSeriesStateInThePackedLayoutAndTimeReadingsAndSteps() {
        DetectorWorkload work = new DetectorWorkload(config, 20, 3);
        double perReading = work.nanosPerReading(250, 2_000);
        assertTrue(perReading > 0 && Double.isFinite(perReading), "nanoseconds per reading: " + perReading);
        PackedSeriesState packed = new PackedSeriesState(DetectorSettings.from(config));
        int fresh = packed.encode(new SeriesDetector(DetectorSettings.from(config)).newState()).length;
        assertTrue(work.storedBytesPerSeries() > fresh, "states that have learned outgrow a fresh one: "
                + work.storedBytesPerSeries() + " vs " + fresh);
        assertTrue(work.record() > fresh, "the next record stores a grown state too");
        double perStep = work.nanosPerStep(10_000);
        assertTrue(perStep > 0 && perStep < perReading, "a step is part of a reading's work: " + perStep + " vs " + perReading);
        DetectorWorkload.Breakdown parts = work.breakdown(0, 2_000);
        assertTrue(parts.decode() > 0 && parts.judge() > 0 && parts.encode() > 0, "every part takes time: " + parts);
        assertTrue(parts.judge() > perStep / 2, "judging includes the step: " + parts + " vs " + perStep);
    }
}
