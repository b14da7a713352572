/**
 * Scoring files and topics through the detector: each series replayed through the same topology (in process or on a
 * broker), with retraining on event time, into CSV results, reports and a backfill of the alerts. Driven by the CLI
 * and the evaluation ({@code io.seismo.eval}), and knows nothing of either; imports the stream and trainer layers it
 * drives.
 */
package io.seismo.score;
