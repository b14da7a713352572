/**
 * The live demo ({@link io.seismo.demo.Demo}): the simulator's labelled series fed at a steady pace to a real broker
 * ({@link io.seismo.demo.SimulationFeed}, also behind {@code seismo simulate}), the detector and the trainer running
 * on it, the anomalies and dead letters tailed as they come ({@link io.seismo.demo.TopicTail}), and at the end the
 * injected anomalies against the detected ones ({@code io.seismo.eval.Scorecard}).
 *
 * <p>It may import {@code sim}, {@code eval}, {@code stream}, {@code train}, {@code config}, {@code kafka}'s client
 * configuration and Kafka's clients. The cluster and the HTTP API come from its caller through
 * {@link io.seismo.demo.Platform}: it never imports the CLI, the HTTP layer, scoring runs or Kafka Streams.
 */
package io.seismo.demo;
