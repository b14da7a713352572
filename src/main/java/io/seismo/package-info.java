/** Seismo: a Kafka Streams anomaly detector for sensor and metric streams. */
package io.seismo;
