/**
 * Judging detection against labels: labelled data sets and their windows (the simulator's series, CSV folders with NAB's
 * windows), the one matching of alerts to labelled windows ({@link io.seismo.eval.AlertMatcher}) and what is built on
 * it: the NAB scorer and {@code seismo evaluate}'s report ({@link io.seismo.eval.NabEvaluation}), the synthetic set
 * ({@link io.seismo.eval.SyntheticEvaluation}), the scorecard against the simulator's labels
 * ({@link io.seismo.eval.Scorecard}) and the comparisons of cells and settings ({@link io.seismo.eval.CellComparison}).
 *
 * <p>Drives the same detector the topology runs, through scoring runs ({@code io.seismo.score}) as the CLI does (never a
 * second implementation of the maths); may import {@code sim}, {@code train}, {@code release}, {@code report},
 * {@code config} and the numeric core; no Kafka Streams, never the CLI, the HTTP layer or the broker.
 */
package io.seismo.eval;
