package io.seismo.api;

import java.util.Optional;

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
}
