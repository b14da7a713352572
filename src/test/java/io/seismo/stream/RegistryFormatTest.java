package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.Reading;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry format without a registry: how its serdes are chosen and configured, the wire header, and that the
 * validator dead-letters what is not in the Confluent wire format (original bytes kept) and stops, rather than
 * dead-letter, when the registry cannot be asked. Decoding against a real registry is RegistryPipelineIT's.
 */
class RegistryFormatTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final byte[] KEY = "sensor-1".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    private SeismoConfig registryConfig() {
        // Port 9 (discard) has no registry: nothing in these tests may need one, but one that does fails fast.
        return SeismoConfig.defaults().with(Map.of("bootstrap.servers", "localhost:9", "state.dir", stateDir.toString(),
                "serde.format", "registry", "schema.registry.url", "http://127.0.0.1:9"));
    }

    @Test
    void shouldUseTheSingleObjectSerdesUnlessTheRegistryFormatIsConfigured() {
        assertSame(SeismoSerdes.SINGLE_OBJECT, SeismoSerdes.external(SeismoConfig.defaults().formats()));
        SeismoSerdes.External registry = SeismoSerdes.external(registryConfig().formats());
        assertInstanceOf(RegistrySerde.class, registry.readings());
        assertInstanceOf(RegistrySerde.class, registry.anomalies());
        assertInstanceOf(RegistrySerde.class, registry.scores());
        assertInstanceOf(RegistrySerde.class, registry.deadLetters());
        assertNotSame(registry.readings(), SeismoSerdes.external(registryConfig().formats()).readings());
        registry.close();
    }

    @Test
    void shouldConfigureApicurioForTheConfluentWireFormat() {
        Map<String, Object> settings = RegistrySerde.settings(registryConfig().formats());
        assertEquals("http://127.0.0.1:9/apis/registry/v3", settings.get("apicurio.registry.url"));
        assertEquals("io.apicurio.registry.serde.Default4ByteIdHandler", settings.get("apicurio.registry.id-handler"));
        assertEquals("contentId", settings.get("apicurio.registry.use-id"));
        assertEquals("false", settings.get("apicurio.registry.headers.enabled"));
        assertEquals("true", settings.get("apicurio.registry.use-specific-avro-reader"));
    }

    @Test
    void shouldReadTheSchemaIdBigEndianAfterTheMagicByte() {
        assertEquals(0x01020304, RegistrySerde.schemaId(new byte[] {0, 1, 2, 3, 4, 42}));
        assertEquals(-1, RegistrySerde.schemaId(new byte[] {0, -1, -1, -1, -1}));
        assertThrows(SerializationException.class, () -> RegistrySerde.schemaId(new byte[] {1, 0, 0, 0, 1, 2}));
        assertThrows(SerializationException.class, () -> RegistrySerde.schemaId(new byte[] {0, 0, 0, 1}));
        assertThrows(SerializationException.class, () -> RegistrySerde.schemaId(null));
    }

    @Test
    void shouldBuildTheRegistryTopologyWithoutContactingTheRegistry() {
        // A pure function of the config: describing it makes no registry client.
        assertTrue(SeismoTopology.build(registryConfig()).describe().toString().contains("validate-reading"));
    }

    /** The registry format for readings; dead letters in single-object encoding so that no registry is needed to read them. */
    private TopologyTestDriver driver(SeismoConfig config, RegistrySerde<Reading> readings) {
        SeismoSerdes.External serdes = new SeismoSerdes.External(readings, SeismoSerdes.ANOMALY, SeismoSerdes.SCORED,
                SeismoSerdes.DEAD_LETTER);
        return new TopologyTestDriver(SeismoTopology.build(config, DetectorMetrics.NONE, serdes), DetectorApp.streamsProperties(config),
                NOW);
    }

    @Test
    void shouldDeadLetterARecordWithoutTheMagicByteWithItsOriginalBytes() {
        SeismoConfig config = registryConfig();
        byte[] singleObject = SeismoSerdes.READING.encode(new Reading("sensor-1", NOW, 1.0));
        byte[] tooShort = {0, 0, 1};
        try (RegistrySerde<Reading> readings = new RegistrySerde<>(Reading.class, config.formats());
             TopologyTestDriver driver = driver(config, readings)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("readings", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], DeadLetter> out = driver.createOutputTopic("deadletter", new ByteArrayDeserializer(),
                    SeismoSerdes.DEAD_LETTER.deserializer());
            in.pipeInput(KEY, singleObject, NOW);
            in.pipeInput(KEY, tooShort, NOW);
            List<DeadLetter> letters = out.readValuesToList();
            assertEquals(2, letters.size());
            for (DeadLetter letter : letters) {
                assertEquals(DeadLetterReason.UNDECODABLE.name(), letter.getReasonCode());
                assertTrue(letter.getReason().contains("Confluent wire format"), letter.getReason());
            }
            assertArrayEquals(singleObject, bytes(letters.get(0).getValue()), "the original value");
            assertArrayEquals(tooShort, bytes(letters.get(1).getValue()));
            assertArrayEquals(KEY, bytes(letters.get(0).getKey()));
        }
    }

    @Test
    void shouldStopRatherThanDeadLetterWhenTheRegistryCannotBeAsked() {
        SeismoConfig config = registryConfig();
        byte[] wireFormat = {0, 0, 0, 0, 7, 16, 's', 'e', 'n', 's', 'o', 'r', '-', '1'};
        try (RegistrySerde<Reading> readings = new RegistrySerde<>(Reading.class, config.formats());
             TopologyTestDriver driver = driver(config, readings)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("readings", new ByteArraySerializer(), new ByteArraySerializer());
            RuntimeException e = assertThrows(RuntimeException.class, () -> in.pipeInput(KEY, wireFormat, NOW));
            assertTrue(hasCause(e, RegistrySerde.RegistryUnavailableException.class), () -> "registry unavailable: " + e);
            assertTrue(driver.createOutputTopic("deadletter", new ByteArrayDeserializer(), new ByteArrayDeserializer()).isEmpty());
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
