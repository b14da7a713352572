/**
 * What makes a record of the readings topic a usable reading: one set of checks, limits and reasons, shared by the
 * detector's topology (which dead-letters what they refuse) and the trainer's history reader (which skips it). Kafka-free:
 * the configuration, the Avro schema and the JDK only.
 */
package io.seismo.input;
