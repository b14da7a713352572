package io.seismo.api;

import java.util.Optional;

import io.seismo.stream.DetectorApp;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code GET /healthz} asks: why the process is unhealthy and should be restarted (the detector has failed for
 * good), or empty while it is fine. Called on every request, so it only reads state.
 */
@FunctionalInterface
public interface HealthProbe {
    /** A probe that never reports a problem: the process is healthy while it answers. */
    HealthProbe ALIVE = Optional::empty;

    /** The reason the process is unhealthy, one line, or empty. */
    Optional<String> problem();

    /** What GET /healthz reports of {@code detector}: unhealthy once it has failed for good. */
    static HealthProbe of(DetectorApp detector) {
        return () -> problem(detector.streams().state(), detector.replacementsExhausted(), detector.threadReplacements());
    }

    /** As {@link #problem(KafkaStreams.State)}, and unhealthy too once stream threads were replaced as often as allowed. */
    static Optional<String> problem(KafkaStreams.State state, boolean replacementsExhausted, int replacements) {
        Optional<String> failed = problem(state);
        if (failed.isPresent() || !replacementsExhausted) {
            return failed;
        }
        return Optional.of("stream threads failed and were replaced " + replacements
                + " times, the limit (stream.thread.replacements.max): the detector stops at the next failure");
    }

    /**
     * Why the detector in {@code state} has failed for good, or empty: ERROR (every stream thread died) and
     * PENDING_ERROR (on its way there) are failures; so is NOT_RUNNING, which the detector reaches only once closed (a
     * process whose detector stopped serves nothing more). CREATED, REBALANCING, RUNNING and PENDING_SHUTDOWN (a normal
     * stop) are not: readiness (/readyz) covers whether it processes now.
     */
    static Optional<String> problem(KafkaStreams.State state) {
        return switch (state) {
            case ERROR, PENDING_ERROR -> Optional.of("the detector is " + state + ": its stream threads have died");
            case NOT_RUNNING -> Optional.of("the detector is " + state + ": it has stopped");
            default -> Optional.empty();
        };
    }
}
