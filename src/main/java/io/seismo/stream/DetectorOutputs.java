package io.seismo.stream;

import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;

/** Receives what the detector's topology wrote to its output topics, in the order it was written. */
public interface DetectorOutputs {
    /** A reading's score (the {@code scores} topic). */
    void scored(ScoredReading scored);

    /** A reading judged normal (the {@code training} topic). */
    void normal(Reading reading);

    /** An episode event (the {@code anomalies} topic). */
    void event(AnomalyEvent event);

    /** A dead letter (the {@code deadletter} topic). */
    void deadLetter(DeadLetter deadLetter);
}
