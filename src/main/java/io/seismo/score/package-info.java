/**
 * Scoring files and topics through the detector: each series replayed through the same topology (in process or on a
 * broker), with retraining on event time, into CSV results, reports and a backfill of the alerts, and what
 * {@code seismo score} prints of it ({@link io.seismo.score.ScoreLines}). Driven by the CLI, the evaluation
 * ({@code io.seismo.eval}) and the benchmark ({@code io.seismo.bench}, which times a backfill), and knows nothing of any
 * of them; imports the stream and trainer layers it drives and the kafka package for a run's topics.
 */
package io.seismo.score;
