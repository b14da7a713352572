/**
 * The HTTP layer: a thin Javalin server over the detector's interactive queries ({@code io.seismo.stream.StoreQueries}),
 * the recent anomaly events, the model releases, health checks and Prometheus metrics. Answers are the plain records of
 * {@link io.seismo.api.Views}, never Avro objects.
 */
package io.seismo.api;
