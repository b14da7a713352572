/**
 * Synthetic sensor streams with labelled anomalies, deterministic by seed.
 *
 * <p>{@link io.seismo.sim.Simulator} produces one reading per series per tick; {@link
 * io.seismo.sim.Simulator#injected()} returns the ground-truth labels. Matching a detector's output
 * against them is the evaluation's ({@code io.seismo.eval.Scorecard}). This package depends on the
 * JDK only.
 */
package io.seismo.sim;
