package io.seismo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** What /healthz reports of the detector's Kafka Streams state. */
class HealthProbeTest {
    @Test
    void shouldReportTheDetectorUnhealthyOnlyOnceItHasFailedOrStopped() {
        for (State failed : EnumSet.of(State.ERROR, State.PENDING_ERROR, State.NOT_RUNNING)) {
            Optional<String> problem = HealthProbe.problem(failed);
            assertTrue(problem.isPresent(), failed.name());
            assertTrue(problem.get().startsWith("the detector is " + failed + ": "), problem.get());
        }
        for (State fine : EnumSet.of(State.CREATED, State.REBALANCING, State.RUNNING, State.PENDING_SHUTDOWN)) {
            assertEquals(Optional.empty(), HealthProbe.problem(fine), fine + " is a matter of readiness, not health");
        }
    }

    @Test
    void shouldReportTheDetectorUnhealthyOnceThreadReplacementsAreExhausted() {
        assertEquals(Optional.empty(), HealthProbe.problem(State.RUNNING, false, 2));
        Optional<String> exhausted = HealthProbe.problem(State.RUNNING, true, 3);
        assertTrue(exhausted.isPresent());
        assertTrue(exhausted.get().contains("replaced 3 times") && exhausted.get().contains("stream.thread.replacements.max"),
                exhausted.get());
        assertTrue(HealthProbe.problem(State.ERROR, true, 3).get().startsWith("the detector is ERROR"), "the failure itself comes first");
    }
}
