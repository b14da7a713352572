/**
 * Synthetic sensor streams with labelled anomalies, deterministic by seed.
 *
 * <p>{@link io.seismo.sim.Simulator} produces one reading per series per tick; {@link
 * io.seismo.sim.Simulator#injected()} returns the ground-truth labels, and {@link
 * io.seismo.sim.Scorecard} matches a detector's output against them. This package depends on the
 * JDK only.
 */
package io.seismo.sim;
