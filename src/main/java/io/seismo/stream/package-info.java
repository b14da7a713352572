/**
 * The Kafka Streams layer: the topology as a pure function of the configuration, one processor per decision, the
 * per-series state store and its packed codec, serdes, dead-lettering and the detector application's lifecycle. The
 * only package touching Kafka Streams stores; imports the detection maths, the numeric core, releases and the reading
 * checks, never the trainer, the CLI or the embedded broker.
 */
package io.seismo.stream;
