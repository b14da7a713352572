package io.seismo.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.Feedback;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.SeriesStateView;
import io.seismo.config.SeismoConfig;
import io.seismo.schema.ScoredReading;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.serialization.Serde;

/** The serdes of every Avro type Seismo reads or writes. Stateless and thread-safe. */
public final class SeismoSerdes {
    public static final AvroSerde<Reading> READING = new AvroSerde<>(Reading.getEncoder(), Reading.getDecoder());
    public static final AvroSerde<AnomalyEvent> ANOMALY = new AvroSerde<>(AnomalyEvent.getEncoder(), AnomalyEvent.getDecoder());
    public static final AvroSerde<ModelRelease> MODEL = new AvroSerde<>(ModelRelease.getEncoder(), ModelRelease.getDecoder());
    /** Reads dead letters written before the {@code truncated} field too (their schema is kept under schema/history). */
    public static final AvroSerde<DeadLetter> DEAD_LETTER = new AvroSerde<>(DeadLetter.getEncoder(),
            DeadLetter.createDecoder(history("DeadLetter-v1.avsc")));
    public static final AvroSerde<ScoredReading> SCORED = new AvroSerde<>(ScoredReading.getEncoder(), ScoredReading.getDecoder());
    public static final AvroSerde<Feedback> FEEDBACK = new AvroSerde<>(Feedback.getEncoder(),
            Feedback.getDecoder());
    public static final AvroSerde<SeriesStateView> STATE = new AvroSerde<>(SeriesStateView.getEncoder(), SeriesStateView.getDecoder());

    private SeismoSerdes() {
    }

    /**
     * The serdes of the topics users produce to and consume from (readings in; anomalies, scores and dead letters out), in
     * the format {@code serde.format} names. The training and models topics and the state store are Seismo's own and
     * always use the constants above. Close it to free the registry clients of the registry format.
     */
    public record External(Serde<Reading> readings, Serde<AnomalyEvent> anomalies, Serde<ScoredReading> scores,
                           Serde<DeadLetter> deadLetters) implements AutoCloseable {
        @Override
        public void close() {
            readings.close();
            anomalies.close();
            scores.close();
            deadLetters.close();
        }
    }

    /** Avro single-object encoding on every external topic (the constants; nothing to close). */
    public static final External SINGLE_OBJECT = new External(READING, ANOMALY, SCORED, DEAD_LETTER);

    /** The external topics' serdes for a configuration: new registry serdes in registry format, else {@link #SINGLE_OBJECT}. */
    public static External external(SeismoConfig.Formats formats) {
        if (!formats.registry()) {
            return SINGLE_OBJECT;
        }
        return new External(new RegistrySerde<>(Reading.class, formats), new RegistrySerde<>(AnomalyEvent.class, formats),
                new RegistrySerde<>(ScoredReading.class, formats), new RegistrySerde<>(DeadLetter.class, formats));
    }

    /** A schema store holding earlier versions of a schema, read from the class path. */
    private static SchemaStore.Cache history(String... resources) {
        SchemaStore.Cache store = new SchemaStore.Cache();
        for (String resource : resources) {
            try (InputStream in = SeismoSerdes.class.getResourceAsStream("/io/seismo/schema/history/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema history " + resource + " is missing from the class path");
                }
                store.addSchema(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return store;
    }
}
