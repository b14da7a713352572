package io.seismo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeismoConfigTest {

    @Test
    void shouldParseEveryDefault() {
        SeismoConfig c = SeismoConfig.defaults();
        assertTrue(c.cluster().embedded());
        assertTrue(c.cluster().exactlyOnce());
        assertEquals("readings", c.topics().readings());
        assertEquals("lstm", c.model().cell());
        assertEquals(32, c.model().hiddenSize());
        assertEquals(0.0001, c.detect().spotRisk());
        assertEquals(ConfigDef.keys().size(), c.toMap().size(), "every key round-trips through toMap");
    }

    @Test
    void shouldApplyFileThenEnvironmentThenOverrides(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seismo.properties");
        Files.writeString(file, "model.hidden.size=16\ntopic.readings=from-file\ndetect.spot.risk=0.01\n");
        Map<String, String> env = Map.of("SEISMO_TOPIC_READINGS", "from-env", "SEISMO_MODEL_LAYERS", "2", "PATH", "/bin");
        SeismoConfig c = SeismoConfig.load(file, env, Map.of("model.layers", "3"));
        assertEquals(16, c.model().hiddenSize(), "file value kept when nothing overrides it");
        assertEquals("from-env", c.topics().readings(), "environment beats file");
        assertEquals(3, c.model().layers(), "overrides beat environment");
        assertEquals(0.01, c.detect().spotRisk());
    }

    @Test
    void shouldRejectUnknownKeysWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("model.hiden.size", "8")));
        assertTrue(e.getMessage().contains("unknown configuration key 'model.hiden.size'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'model.hidden.size'"), e.getMessage());
    }

    @Test
    void shouldNameTheKeyAndTheRuleOfAnInvalidValue() {
        ConfigException range = assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("model.layers", "7")));
        assertEquals("model.layers=7: must be between 1 and 3", range.getMessage());
        ConfigException type = assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("train.epochs", "many")));
        assertEquals("train.epochs=many: not a valid int", type.getMessage());
        ConfigException choice = assertThrows(ConfigException.class,
                () -> SeismoConfig.parse(Map.of("processing.guarantee", "exactly_once")));
        assertTrue(choice.getMessage().contains("must be one of exactly_once_v2, at_least_once"), choice.getMessage());
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SeismoConfig.parse(Map.of("model.layers", "0", "detect.spot.risk", "2")));
        assertTrue(e.getMessage().contains("model.layers") && e.getMessage().contains("detect.spot.risk"), e.getMessage());
    }

    @Test
    void shouldValidateModelInputsAndTheSchedule() {
        assertEquals("value,gap", SeismoConfig.parse(Map.of("model.inputs", "value, gap")).model().inputs());
        ConfigException noValue = assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("model.inputs", "gap")));
        assertTrue(noValue.getMessage().contains("must include value"), noValue.getMessage());
        assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("model.inputs", "value,moon-phase")));
        assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("model.inputs", "value,gap,gap")));
        assertEquals("step:10:0.5", SeismoConfig.parse(Map.of("train.schedule", "step:10:0.5")).train().schedule());
        assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("train.schedule", "sometimes")));
    }

    @Test
    void shouldRejectInconsistentSettings() {
        assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("topic.anomalies", "readings")));
        assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("train.window", "64", "train.min.samples.per.series", "64")));
    }

    @Test
    void shouldOfferExactlyTheCellsTheNumericCoreHas() {
        java.util.List<String> ids = java.util.Arrays.stream(io.seismo.nn.CellType.values()).map(io.seismo.nn.CellType::id).toList();
        assertEquals(ids, java.util.List.of(ConfigDef.CELLS));
        for (String id : ids) {
            assertEquals(id, SeismoConfig.parse(Map.of("model.cell", id)).model().cell());
        }
    }

    @Test
    void shouldPassKafkaKeysThroughToClients() {
        SeismoConfig c = SeismoConfig.load(null, Map.of("SEISMO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
                Map.of("bootstrap.servers", "broker:9092", "kafka.security.protocol", "SASL_SSL"));
        Map<String, Object> client = c.clientConfig();
        assertEquals("broker:9092", client.get("bootstrap.servers"));
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
    }

    @Test
    void shouldRefuseClientConfigBeforeTheEmbeddedBrokerHasAnAddress() {
        assertThrows(ConfigException.class, () -> SeismoConfig.defaults().clientConfig());
    }

    @Test
    void shouldChangeTheDetectorConfigIdOnlyWithDetectionSettings() {
        SeismoConfig base = SeismoConfig.defaults();
        assertEquals(base.detectorConfigId(), base.with(Map.of("topic.readings", "other")).detectorConfigId());
        assertNotEquals(base.detectorConfigId(), base.with(Map.of("detect.spot.risk", "0.01")).detectorConfigId());
        assertFalse(base.detectorConfigId().isBlank());
    }

    @Test
    void shouldUseSingleObjectEncodingUnlessTheRegistryFormatIsChosen() {
        SeismoConfig.Formats formats = SeismoConfig.defaults().formats();
        assertEquals("single-object", formats.serdeFormat());
        assertFalse(formats.registry());
    }

    @Test
    void shouldRequireARegistryUrlInRegistryFormat() {
        ConfigException missing = assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("serde.format", "registry")));
        assertTrue(missing.getMessage().contains("schema.registry.url"), missing.getMessage());
        ConfigException notUrl = assertThrows(ConfigException.class,
                () -> SeismoConfig.parse(Map.of("serde.format", "registry", "schema.registry.url", "localhost:8081")));
        assertTrue(notUrl.getMessage().contains("schema.registry.url"), notUrl.getMessage());
        assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of("serde.format", "confluent")));
    }

    @Test
    void shouldDeriveTheRegistryApisFromItsBaseUrl() {
        SeismoConfig c = SeismoConfig.parse(Map.of("serde.format", "registry", "schema.registry.url", "http://registry:8081/"));
        assertTrue(c.formats().registry());
        assertEquals("http://registry:8081/apis/registry/v3", c.formats().registryApiUrl());
        assertEquals("http://registry:8081/apis/ccompat/v7", c.formats().confluentApiUrl());
        assertEquals("registry", c.toMap().get("serde.format"));
        assertEquals(c, SeismoConfig.parse(c.toMap()));
    }
}
