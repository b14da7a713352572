package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.producer;
import static io.seismo.it.BrokerTestSupport.readCommitted;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.Reading;
import io.seismo.stream.DeadLetterReason;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.RegistrySerde;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import io.seismo.train.TrainerService;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * serde.format=registry end to end, on the in-process broker and a real Apicurio Registry: readings produced in the
 * Confluent wire format are judged, the anomaly events Seismo writes decode the way any Confluent consumer would
 * decode them (schema id from the record, schema from the registry's ccompat API, a generic Avro reader), and records
 * that are not in the format, or name a schema id the registry does not have, are dead-lettered with their bytes; the
 * trainer reads the same readings as history.
 */
class RegistryPipelineIT {
    private static final long STEP = 60_000L;
    private static final String SERIES = "pump-1";

    // The registry first: without a Java 21+ JDK the class is skipped before a broker is started for nothing.
    @RegisterExtension
    static final ApicurioRegistry registry = new ApicurioRegistry();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @TempDir
    Path stateDir;

    @Test
    void shouldDetectOnRegistryRecordsAndWriteWhatAConfluentConsumerDecodes() throws Exception {
        SeismoConfig config = SeismoConfig.parse(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "state.dir", stateDir.toString(),
                "application.id", "registry-it",
                "commit.interval.ms", "100",
                "model.inputs", "value",
                "detect.warmup.readings", "10",
                "detect.spot.calibration", "50",
                "serde.format", "registry",
                "schema.registry.url", registry.baseUrl()));
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        String readings = config.topics().readings();

        byte[] notRegistryFormat = SeismoSerdes.READING.encode(new Reading(SERIES, Instant.now().minusSeconds(60), 1.0));
        byte[] unknownId = {0, 0x7f, 0x00, 0x00, 0x01, 12, 'p', 'u', 'm', 'p', '-', '1'};
        long start = System.currentTimeMillis() - 400 * STEP;
        try (RegistrySerde<Reading> producerSerde = new RegistrySerde<>(Reading.class, config.formats());
             KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers());
             DetectorApp detector = new DetectorApp(config)) {
            detector.start();
            for (int i = 0; i < 300; i++) {
                long ts = start + i * STEP;
                // A calm signal, then a jump far beyond anything the threshold has seen.
                double value = i < 280 ? 50 + 5 * Math.sin(i / 6.0) + ((i * 7919) % 13) * 0.1 : 500;
                producer.send(new ProducerRecord<>(readings, null, ts, SERIES, producerSerde.encode(readings, new Reading(SERIES,
                        Instant.ofEpochMilli(ts), value))));
            }
            producer.send(new ProducerRecord<>(readings, SERIES, notRegistryFormat));
            producer.send(new ProducerRecord<>(readings, SERIES, unknownId));
            producer.flush();

            waitFor(Duration.ofSeconds(90), "the jump is reported on the anomalies topic",
                    () -> !readCommitted(config.clientConfig(), config.topics().anomalies()).isEmpty());
            waitFor(Duration.ofSeconds(60), "both bad records are dead-lettered",
                    () -> readCommitted(config.clientConfig(), config.topics().deadLetter()).size() >= 2);
        }

        // The trainer's history read (cold start, retraining from history) takes readings in the registry format too.
        SeismoConfig trainConfig = config.with(Map.of("train.min.samples.per.series", "150", "train.epochs", "2",
                "model.hidden.size", "4"));
        try (RegistrySerde<Reading> history = new RegistrySerde<>(Reading.class, config.formats())) {
            TrainerService trainer = new TrainerService(trainConfig, new BrokerTestSupport.RecordingTrainerListener(),
                    history.deserializer());
            TrainerService.HistoryOutcome outcome = trainer.trainFromHistory(readings, 0, Long.MAX_VALUE, s -> true);
            assertEquals(1, outcome.seriesReady(), () -> "the series' readings decode: " + outcome);
            assertEquals(2, trainer.stats().skippedRecords(), "the two bad records are skipped");
        }

        // A Confluent consumer's way: magic byte, schema id, the writer's schema from /schemas/ids/{id}, a generic reader.
        ConsumerRecord<String, byte[]> first = readCommitted(config.clientConfig(), config.topics().anomalies()).get(0);
        byte[] value = first.value();
        assertEquals(0, value[0], "magic byte");
        int id = RegistrySerde.schemaId(value);
        Schema writer = confluentSchema(registry.get("/apis/ccompat/v7/schemas/ids/" + id), new Schema.Parser());
        assertEquals("io.seismo.schema.AnomalyEvent", writer.getFullName());
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, RegistrySerde.HEADER_BYTES,
                value.length - RegistrySerde.HEADER_BYTES, null);
        GenericRecord event = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
        assertTrue(decoder.isEnd(), "the body is exactly one record");
        assertEquals(SERIES, first.key());
        assertEquals(SERIES, event.get("series").toString());
        assertEquals("OPENED", event.get("kind").toString());
        assertEquals(500.0, (Double) event.get("observed"), 1e-9);
        double score = (Double) event.get("score");
        assertTrue(score >= 0 && score <= 1, "score " + score);
        assertTrue(registry.get("/apis/ccompat/v7/subjects").contains("\"anomalies-value\""), "registered under <topic>-value");

        // Normal readings reach training as they came: in the registry format, decodable by the readings' serde.
        List<ConsumerRecord<String, byte[]>> forwarded = readCommitted(config.clientConfig(), config.topics().training());
        assertTrue(forwarded.size() >= 100, "normal readings are forwarded: " + forwarded.size());
        try (RegistrySerde<Reading> trainingReadings = new RegistrySerde<>(Reading.class, config.formats())) {
            for (ConsumerRecord<String, byte[]> r : forwarded) {
                assertEquals(0, r.value()[0], "the magic byte of the original record");
                assertEquals(SERIES, trainingReadings.decode(config.topics().training(), r.value()).getSeries());
            }
        }

        // Seismo's own registry serde reads the same bytes into the generated class.
        try (RegistrySerde<AnomalyEvent> anomalies = new RegistrySerde<>(AnomalyEvent.class, config.formats());
             RegistrySerde<DeadLetter> deadLetters = new RegistrySerde<>(DeadLetter.class, config.formats())) {
            AnomalyEvent decoded = anomalies.decode(config.topics().anomalies(), value);
            assertEquals(500.0, decoded.getObserved(), 1e-9);

            List<DeadLetter> letters = readCommitted(config.clientConfig(), config.topics().deadLetter()).stream()
                    .map(r -> deadLetters.decode(config.topics().deadLetter(), r.value())).toList();
            DeadLetter undecodable = only(letters, DeadLetterReason.UNDECODABLE);
            assertArrayEquals(notRegistryFormat, bytes(undecodable.getValue()), "the original bytes");
            assertArrayEquals(SERIES.getBytes(StandardCharsets.UTF_8), bytes(undecodable.getKey()));
            assertTrue(undecodable.getReason().contains("Confluent wire format"), undecodable.getReason());
            DeadLetter unknown = only(letters, DeadLetterReason.UNKNOWN_SCHEMA);
            assertArrayEquals(unknownId, bytes(unknown.getValue()));
        }
    }

    /**
     * The schema of a ccompat answer ({"schema": ..., "references": [{"name", "subject", "version"}]}), parsed as Confluent's
     * Avro deserializer does: the named types it references (Apicurio registers nested records and enums as their own
     * subjects) first, fetched by subject and version, into the same parser.
     */
    private static Schema confluentSchema(String answer, Schema.Parser parser) throws Exception {
        JsonNode json = new ObjectMapper().readTree(answer);
        JsonNode references = json.path("references");
        for (JsonNode reference : references) {
            if (!parser.getTypes().containsKey(reference.get("name").asText())) {
                confluentSchema(registry.get("/apis/ccompat/v7/subjects/" + reference.get("subject").asText() + "/versions/"
                        + reference.get("version").asText()), parser);
            }
        }
        return parser.parse(json.get("schema").asText());
    }

    private static DeadLetter only(List<DeadLetter> letters, DeadLetterReason reason) {
        List<DeadLetter> matching = letters.stream().filter(l -> reason.name().equals(l.getReasonCode())).toList();
        assertEquals(1, matching.size(), () -> reason + " dead letters among " + letters);
        return matching.get(0);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
