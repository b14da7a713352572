/**
 * The trainer: consuming readings judged normal from the training topic, windows and history, periodic retraining
 * with a validation gate, publishing versioned releases on the compacted models topic, and replay of historical
 * topics. Imports the numeric core, releases, the reading checks and Kafka clients, never the stream layer or the CLI.
 */
package io.seismo.train;
