package io.seismo.stream;

/** Receives what the detector's topology wrote, as encoded on its topics, in the order it was written. */
public interface DetectorOutputs {
    /** A reading's score (the {@code scores} topic). */
    void scored(byte[] scoredReading);

    /** A reading judged normal (the {@code training} topic). */
    void normal(byte[] reading);

    /** An episode event (the {@code anomalies} topic). */
    void event(byte[] anomalyEvent);

    /** A dead letter (the {@code deadletter} topic). */
    void deadLetter(byte[] deadLetter);
}
