/**
 * Detection maths: online scaling, baseline forecasting, error smoothing, SPOT/DSPOT thresholds
 * (Siffer et al., KDD 2017), severities and anomaly episodes.
 *
 * <p>Every stateful class exposes its complete state as an immutable snapshot record of plain values
 * and can be rebuilt from it; continuing from a restored snapshot gives bit-identical results to
 * never having persisted, because the caller stores per-series state after every reading. Arrays
 * that the caller persists as Avro {@code float} arrays are kept as {@code float[]} internally, so
 * that mapping is lossless. No Kafka, no Avro: the numeric core, the configuration record (read by
 * {@link io.seismo.detect.DetectorSettings#from}, so that building a detector needs no stream layer) and the JDK.
 */
package io.seismo.detect;
