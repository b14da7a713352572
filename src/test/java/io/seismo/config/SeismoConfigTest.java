package io.seismo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.seismo.nn.CellType;

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
    void shouldApplyCommandDefaultsBelowTheFileTheEnvironmentAndTheOverrides(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seismo.properties");
        Files.writeString(file, "topic.anomalies=from-file\ntopic.training=from-file\n");
        Map<String, String> defaults = Map.of("topic.readings", "from-defaults", "topic.anomalies", "from-defaults",
                "topic.training", "from-defaults", "topic.models", "from-defaults");
        Map<String, String> env = Map.of("SEISMO_TOPIC_TRAINING", "from-env", "SEISMO_TOPIC_MODELS", "from-env");
        SeismoConfig c = SeismoConfig.load(defaults, file, env, Map.of("topic.models", "from-flag"));
        assertEquals("from-defaults", c.topics().readings(), "a command default replaces the built-in one");
        assertEquals("from-file", c.topics().anomalies(), "the file beats a command default");
        assertEquals("from-env", c.topics().training(), "the environment beats the file");
        assertEquals("from-flag", c.topics().models(), "overrides beat the environment");
        assertEquals("deadletter", c.topics().deadLetter(), "built-in default where nothing else is set");
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
    void shouldRejectAnUnknownSeismoEnvironmentVariableWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SeismoConfig.load(null, Map.of("SEISMO_TOPIC_READING", "x", "SEISMO_MODEL_LAYERS", "2"), Map.of()));
        assertEquals("unknown configuration environment variable 'SEISMO_TOPIC_READING' (did you mean 'SEISMO_TOPIC_READINGS'?)",
                e.getMessage());
        ConfigException two = assertThrows(ConfigException.class,
                () -> SeismoConfig.load(null, Map.of("SEISMO_HOME", "/opt", "SEISMO_MODEL_LAYER", "2"), Map.of()));
        assertTrue(two.getMessage().contains("'SEISMO_HOME'") && two.getMessage().contains("did you mean 'SEISMO_MODEL_LAYERS'"),
                two.getMessage());
    }

    @Test
    void shouldAllowTheLauncherVariablesAndIgnoreOtherProgramsVariables() {
        Map<String, String> env = new HashMap<>();
        SeismoConfig.NOT_CONFIGURATION.forEach(name -> env.put(name, "-Xmx2g"));
        env.put("PATH", "/bin");
        env.put("JAVA_OPTS", "-Xmx1g");
        env.put("seismo_model_layers", "3");
        env.put("SEISMO_KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips");
        SeismoConfig c = SeismoConfig.load(null, env, Map.of());
        assertEquals(1, c.model().layers(), "only upper-case SEISMO_ variables are Seismo's");
        assertEquals(Map.of("client.dns.lookup", "use_all_dns_ips"), c.kafka());
        assertEquals(java.util.Set.of("SEISMO_JAVA_OPTS", "SEISMO_JAVA21"), SeismoConfig.NOT_CONFIGURATION);
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
    void shouldParseEnumValuedKeysIntoTheirEnumsAndPrintTheirSpellings() {
        SeismoConfig c = SeismoConfig.parse(Map.of("processing.guarantee", "at_least_once", "detect.swap.threshold", " carry ",
                "detect.silence.clock", "stream", "train.clock", "event", "serde.format", "registry",
                "schema.registry.url", "http://registry:8081"));
        assertEquals(ProcessingGuarantee.AT_LEAST_ONCE, c.cluster().processingGuarantee());
        assertFalse(c.cluster().exactlyOnce());
        assertEquals(SwapThreshold.CARRY, c.detect().swapThreshold());
        assertFalse(c.detect().recalibrateOnSwap());
        assertEquals(SilenceClock.STREAM, c.detect().silenceClock());
        assertTrue(c.detect().silenceOnStreamTime());
        assertEquals(TrainClock.EVENT, c.train().clock());
        assertTrue(c.train().onEventTime());
        assertEquals(SerdeFormat.REGISTRY, c.formats().serdeFormat());
        Map<String, String> printed = c.toMap();
        assertEquals("at_least_once", printed.get("processing.guarantee"));
        assertEquals("carry", printed.get("detect.swap.threshold"));
        assertEquals("stream", printed.get("detect.silence.clock"));
        assertEquals("event", printed.get("train.clock"));
        assertEquals("registry", printed.get("serde.format"));
        assertEquals("exactly_once_v2", ProcessingGuarantee.EXACTLY_ONCE_V2.spelling(), "spelt as configuration spells it");
        assertEquals("single-object", SerdeFormat.SINGLE_OBJECT.spelling(), "with hyphens where its name has underscores");
    }

    @Test
    void shouldListTheSpellingsOfEveryEnumValuedKeyWhenAValueIsBad() {
        Map<String, String> expected = Map.of("processing.guarantee", "must be one of exactly_once_v2, at_least_once",
                "serde.format", "must be one of single-object, registry",
                "detect.swap.threshold", "must be one of carry, recalibrate",
                "detect.silence.clock", "must be one of wall, stream",
                "train.clock", "must be one of wall, event");
        expected.forEach((key, message) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> SeismoConfig.parse(Map.of(key, "EXACTLY_ONCE_V2")));
            assertEquals(key + "=EXACTLY_ONCE_V2: " + message, e.getMessage());
        });
    }

    @Test
    void shouldKeepTheDetectorConfigIdsOfEarlierReleases() {
        // Events carry this id; the same settings must keep giving the same one (it hashes key=value lines in table order).
        assertEquals("7f390c26", SeismoConfig.defaults().detectorConfigId());
        assertEquals("4a602ac8", SeismoConfig.defaults().with(Map.of("detect.swap.threshold", "carry", "model.cell", "gru",
                "detect.silence.clock", "stream", "model.inputs", "value, gap")).detectorConfigId());
    }

    @Test
    void shouldReadAndWriteEveryKeyThroughItsOwnRecordComponent() {
        assertEquals(ConfigDef.keys().stream().map(ConfigDef.Key::name).toList(), List.copyOf(SeismoConfig.defaults().toMap().keySet()),
                "toMap lists the keys in table order");
        for (ConfigDef.Key<?> key : ConfigDef.keys()) {
            // The registry format needs its URL: set it on both sides.
            Map<String, String> needed = key.name().equals("serde.format") ? Map.of("schema.registry.url", "http://registry:8081") : Map.of();
            Map<String, String> defaults = SeismoConfig.parse(needed).toMap();
            SeismoConfig changed = null;
            for (String candidate : otherValues(key)) {
                try {
                    Map<String, String> raw = new HashMap<>(needed);
                    raw.put(key.name(), candidate);
                    changed = SeismoConfig.parse(raw);
                    break;
                } catch (ConfigException e) {
                    // not valid for this key: try the next
                }
            }
            assertTrue(changed != null, "no other valid value found for " + key.name());
            Map<String, String> after = changed.toMap();
            Map<String, String> expected = new LinkedHashMap<>(defaults);
            expected.put(key.name(), after.get(key.name()));
            assertNotEquals(defaults.get(key.name()), after.get(key.name()), key.name() + " did not change");
            assertEquals(expected, after, "setting " + key.name() + " changed only " + key.name());
            assertEquals(changed, SeismoConfig.parse(after), key.name() + " round-trips through toMap");
        }
    }

    /** Values other than the default that may be valid for a key; the first valid one is used. */
    private static List<String> otherValues(ConfigDef.Key<?> key) {
        String d = key.defaultValue();
        if (!key.choices().isEmpty()) {
            return key.choices().stream().map(ConfigDef.Choice::spelling).filter(sp -> !sp.equals(d)).toList();
        }
        return switch (key.type()) {
            case BOOLEAN -> List.of(Boolean.toString(!Boolean.parseBoolean(d)));
            case INT, LONG -> List.of(Long.toString(Long.parseLong(d) + 1), Long.toString(Long.parseLong(d) - 1));
            case DOUBLE -> java.util.stream.Stream.of(Double.parseDouble(d) * 0.5, Double.parseDouble(d) + 0.01, 0.5)
                    .filter(x -> x != Double.parseDouble(d)).map(String::valueOf).toList();
            case STRING -> List.of("changed", "gru", "value", "constant", "http://registry:8081", "a-token-of-sixteen-characters");
        };
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
        assertEquals("value,gap", SeismoConfig.parse(Map.of("model.inputs", " value , gap ")).toMap().get("model.inputs"));
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
        java.util.List<String> ids = java.util.Arrays.stream(CellType.values()).map(CellType::id).toList();
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
        assertEquals(SerdeFormat.SINGLE_OBJECT, formats.serdeFormat());
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
