/**
 * Judging detection against labels: the NAB scorer, labelled data sets and their windows, and the comparisons of cells
 * and settings. Drives the same detector the topology runs (never a second implementation of the maths); no Kafka
 * Streams.
 */
package io.seismo.eval;
