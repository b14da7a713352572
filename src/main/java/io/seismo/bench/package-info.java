/**
 * The end-to-end benchmark behind {@code seismo bench}: {@link io.seismo.bench.BenchHarness} starts an embedded broker,
 * pre-produces readings, runs a pass-through topology and the detector over them (throughput, allocation per record,
 * state per series), offers readings at a fixed rate to both (latency), times the detector's own per-reading work
 * ({@code io.seismo.stream.DetectorWorkload}) and a backfill, and reads heap, RSS and RocksDB memory; its figures are the
 * parts of {@link io.seismo.bench.BenchReport}, which also prints them.
 *
 * <p>May import the configuration, the kafka package (broker, topic admin, client configs), the stream layer (the
 * topologies it runs, as a Kafka Streams client: start, state, close), score (the backfill it times), train and release
 * (the release it publishes), Kafka's clients and the JDK. Never the CLI, the HTTP layer, picocli or a progress bar: it
 * reports progress through {@link io.seismo.bench.BenchProgress} and prints nothing to the standard streams.
 */
package io.seismo.bench;
