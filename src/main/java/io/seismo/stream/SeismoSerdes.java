package io.seismo.stream;

import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.SeriesState;

/** The serdes of every Avro type Seismo reads or writes. Stateless and thread-safe. */
public final class SeismoSerdes {
    public static final AvroSerde<Reading> READING = new AvroSerde<>(Reading.getEncoder(), Reading.getDecoder());
    public static final AvroSerde<AnomalyEvent> ANOMALY = new AvroSerde<>(AnomalyEvent.getEncoder(), AnomalyEvent.getDecoder());
    public static final AvroSerde<ModelRelease> MODEL = new AvroSerde<>(ModelRelease.getEncoder(), ModelRelease.getDecoder());
    public static final AvroSerde<DeadLetter> DEAD_LETTER = new AvroSerde<>(DeadLetter.getEncoder(), DeadLetter.getDecoder());
    public static final AvroSerde<io.seismo.schema.ScoredReading> SCORED = new AvroSerde<>(io.seismo.schema.ScoredReading.getEncoder(),
            io.seismo.schema.ScoredReading.getDecoder());
    public static final AvroSerde<SeriesState> STATE = new AvroSerde<>(SeriesState.getEncoder(), SeriesState.getDecoder());

    private SeismoSerdes() {
    }
}
