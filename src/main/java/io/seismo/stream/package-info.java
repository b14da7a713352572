/**
 * The Kafka Streams layer: the topology as a pure function of the configuration, one processor per decision, the
 * per-series state store and its packed codec, serdes, dead-lettering, the detector application's lifecycle and the
 * topics the topology needs ({@link io.seismo.stream.TopicPlan}). The only package touching Kafka Streams stores; imports
 * the detection maths, the numeric core, releases and the reading checks, and of the kafka package only
 * {@code TopicSpec}, the plain description of a topic; never the trainer, the CLI or the embedded broker.
 */
package io.seismo.stream;
