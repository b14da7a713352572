/**
 * Kafka plumbing: an in-process single-node KRaft broker ({@link io.seismo.kafka.EmbeddedKafka}),
 * idempotent topic creation ({@link io.seismo.kafka.TopicAdmin}) and client configuration
 * defaults ({@link io.seismo.kafka.ClientConfigs}). This is the only package that touches broker
 * internals; it depends on Kafka and the JDK only.
 */
package io.seismo.kafka;
