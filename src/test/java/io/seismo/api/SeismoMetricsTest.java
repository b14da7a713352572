package io.seismo.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seismo.detect.EpisodeTransition;
import io.seismo.stream.DeadLetterReason;
import org.junit.jupiter.api.Test;

class SeismoMetricsTest {
    @Test
    void shouldExposeTheDetectorsCountsInPrometheusText() {
        try (SeismoMetrics m = new SeismoMetrics()) {
            for (int i = 0; i < 3; i++) {
                m.judged(250_000);
            }
            m.anomalyEvent(EpisodeTransition.OPENED);
            m.anomalyEvent(EpisodeTransition.NONE);
            m.deadLettered(DeadLetterReason.OUT_OF_ORDER);
            m.trainingStarted();
            m.rejected();
            String text = m.scrape();
            assertTrue(text.contains("seismo_readings_judged_total 3.0"), text);
            assertTrue(text.contains("seismo_step_latency_seconds_count 3"), text);
            assertTrue(text.contains("seismo_step_latency_seconds_bucket"), "a histogram, for quantiles over instances");
            assertTrue(text.contains("seismo_anomaly_events_total{kind=\"opened\"} 1.0"), text);
            assertTrue(text.contains("seismo_dead_letters_total{reason=\"OUT_OF_ORDER\"} 1.0"), text);
            assertTrue(text.contains("seismo_trainer_runs_total 1.0"), text);
            assertTrue(text.contains("seismo_trainer_rejections_total 1.0"), text);
            assertTrue(text.contains("seismo_model_version NaN"), "no detector bound yet: " + text);
            assertTrue(text.contains("jvm_memory_used_bytes"), text);
        }
    }
}
