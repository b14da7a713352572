package io.seismo.config;

import static io.seismo.config.ConfigDef.APPLICATION_ID;
import static io.seismo.config.ConfigDef.DETECT_SILENCE_CLOCK;
import static io.seismo.config.ConfigDef.SERDE_FORMAT;
import static io.seismo.config.ConfigDef.TOPIC_PARTITIONS;
import static io.seismo.config.ConfigDef.TRAIN_GROUP_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Typed values for keys named by their rows, written as configuration writes them. */
class OverridesTest {
    @Test
    void shouldWriteEachValueAsAFileWouldInTheOrderSet() {
        Overrides o = Overrides.of(APPLICATION_ID, "x").and(TOPIC_PARTITIONS, 12).and(DETECT_SILENCE_CLOCK, SilenceClock.STREAM)
                .and(SERDE_FORMAT, SerdeFormat.SINGLE_OBJECT);
        assertEquals(List.of("application.id", "topic.partitions", "detect.silence.clock", "serde.format"), List.copyOf(o.asMap().keySet()));
        assertEquals(Map.of("application.id", "x", "topic.partitions", "12", "detect.silence.clock", "stream",
                "serde.format", "single-object"), o.asMap());
    }

    @Test
    void shouldLetTheLaterValueOfAKeyWin() {
        Overrides first = Overrides.of(APPLICATION_ID, "first").and(TOPIC_PARTITIONS, 2);
        assertEquals("second", first.and(APPLICATION_ID, "second").asMap().get("application.id"));
        Overrides merged = first.and(Overrides.of(TOPIC_PARTITIONS, 8));
        assertEquals(Map.of("application.id", "first", "topic.partitions", "8"), merged.asMap());
        assertEquals(Map.of("application.id", "first", "topic.partitions", "2"), first.asMap(), "an Overrides never changes");
    }

    @Test
    void shouldRefuseAMissingValue() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Overrides.of(TRAIN_GROUP_ID, null));
        assertTrue(e.getMessage().contains("train.group.id"), e.getMessage());
    }

    @Test
    void shouldPrefixEveryTopicNameButTheScoresTopic() {
        SeismoConfig c = SeismoConfig.defaults().with(Overrides.prefixedTopics("run-"));
        assertEquals(List.of("run-readings", "run-anomalies", "run-training", "run-models", "run-deadletter", "run-feedback"),
                List.of(c.topics().readings(), c.topics().anomalies(), c.topics().training(), c.topics().models(), c.topics().deadLetter(),
                        c.topics().feedback()));
        assertEquals("", c.topics().scores());
    }

    @Test
    void shouldChangeAConfigurationAsTheSameStringsDo() {
        SeismoConfig typed = SeismoConfig.defaults().with(Overrides.of(DETECT_SILENCE_CLOCK, SilenceClock.STREAM).and(TOPIC_PARTITIONS, 6));
        assertEquals(SeismoConfig.defaults().with(Map.of("detect.silence.clock", "stream", "topic.partitions", "6")), typed);
    }

    @Test
    void everyRowShouldBeAConstantNamedAfterItsKeyAndTypedByItsValue() throws IllegalAccessException {
        Map<String, ConfigDef.Key<?>> constants = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Field f : ConfigDef.class.getFields()) {
            if (f.getType() != ConfigDef.Key.class || !Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            ConfigDef.Key<?> key = (ConfigDef.Key<?>) f.get(null);
            constants.put(f.getName(), key);
            if (!f.getName().equals(key.name().toUpperCase(Locale.ROOT).replace('.', '_'))) {
                problems.add(f.getName() + " holds " + key.name());
            }
            Class<?> declared = (Class<?>) ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
            if (declared != boxed(key.valueType())) {
                problems.add(f.getName() + " is a Key<" + declared.getSimpleName() + "> but holds " + key.valueType().getSimpleName());
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(ConfigDef.keys().size(), constants.size(), "one constant per row");
        assertEquals(Set.copyOf(ConfigDef.keys()), Set.copyOf(constants.values()), "every row is a constant");
    }

    @Test
    void shouldListOneSectionsKeys() {
        Map<String, String> model = SeismoConfig.defaults().toMap(SeismoConfig.Model.class);
        assertTrue(model.keySet().stream().allMatch(k -> k.startsWith("model.")), model.toString());
        assertEquals(SeismoConfig.defaults().toMap().keySet().stream().filter(k -> k.startsWith("model.")).toList(), List.copyOf(model.keySet()));
    }

    private static Class<?> boxed(Class<?> type) {
        return type == int.class ? Integer.class : type == long.class ? Long.class : type == double.class ? Double.class
                : type == boolean.class ? Boolean.class : type;
    }
}
