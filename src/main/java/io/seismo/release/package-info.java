/**
 * A model release on the models topic: building one from a trained network, checking one read back (version range,
 * shape, finite weights) and the reasons one is refused. Shared by the trainer that publishes and the detector that
 * swaps; imports the numeric core and the Avro schema only.
 */
package io.seismo.release;
