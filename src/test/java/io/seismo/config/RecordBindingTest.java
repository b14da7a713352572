package io.seismo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The table binds every component of the configuration records exactly once, and says clearly when it does not. */
class RecordBindingTest {
    record Sizes(int count, String label) {
    }

    record Root(Sizes sizes, Map<String, String> passThrough) {
    }

    record Elsewhere(int x) {
    }

    private static ConfigDef.Key<?> row(String name, Class<? extends Record> section, String component, ConfigDef.Type type) {
        return new ConfigDef.Key<>(name, type, "0", ConfigDef.Validator.ANY, "doc", section, component, List.of(), ConfigDef.Normaliser.NONE);
    }

    private static final ConfigDef.Key<?> COUNT = row("sizes.count", Sizes.class, "count", ConfigDef.Type.INT);
    private static final ConfigDef.Key<?> LABEL = row("sizes.label", Sizes.class, "label", ConfigDef.Type.STRING);

    private static String problems(ConfigDef.Key<?>... rows) {
        return assertThrows(IllegalStateException.class, () -> RecordBinding.of(Root.class, List.of(rows))).getMessage();
    }

    @Test
    void shouldBuildTheRecordsFromTheRowsAndReadThemBack() {
        RecordBinding binding = RecordBinding.of(Root.class, List.of(LABEL, COUNT));
        Object root = binding.build(Map.of("sizes.count", 3, "sizes.label", "three"), Map.of("acks", "all"));
        assertEquals(new Root(new Sizes(3, "three"), Map.of("acks", "all")), root);
        assertEquals(3, binding.value(root, "sizes.count"));
        assertEquals("three", binding.value(root, "sizes.label"));
    }

    @Test
    void shouldNameAComponentNoRowBinds() {
        String message = problems(COUNT);
        assertTrue(message.contains("Sizes.label is bound by no row"), message);
    }

    @Test
    void shouldNameAComponentTwoRowsBind() {
        String message = problems(COUNT, LABEL, row("sizes.number", Sizes.class, "count", ConfigDef.Type.INT));
        assertTrue(message.contains("Sizes.count is bound by more than one row: [sizes.count, sizes.number]"), message);
    }

    @Test
    void shouldNameARowWhoseComponentDoesNotExist() {
        String message = problems(COUNT, LABEL, row("sizes.colour", Sizes.class, "colour", ConfigDef.Type.STRING));
        assertTrue(message.contains("row sizes.colour names Sizes.colour, which does not exist"), message);
    }

    @Test
    void shouldNameARowWhoseTypeDiffersFromItsComponent() {
        String message = problems(row("sizes.count", Sizes.class, "count", ConfigDef.Type.LONG), LABEL);
        assertTrue(message.contains("sizes.count holds a long but Sizes.count is a int"), message);
    }

    @Test
    void shouldNameARowWhoseSectionIsNotPartOfTheConfiguration() {
        String message = problems(COUNT, LABEL, row("elsewhere.x", Elsewhere.class, "x", ConfigDef.Type.INT));
        assertTrue(message.contains("rows [elsewhere.x] name section Elsewhere, which is no component of Root"), message);
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        String message = problems(row("sizes.count", Sizes.class, "count", ConfigDef.Type.DOUBLE));
        assertTrue(message.startsWith("configuration table and records disagree: "), message);
        assertTrue(message.contains("Sizes.label") && message.contains("sizes.count holds a double"), message);
    }

    @Test
    void shouldBindSeismosOwnTableCompletely() {
        // ConfigDef checks this when it is loaded, so a mistake fails every test; here it fails with its own name too.
        RecordBinding binding = RecordBinding.of(SeismoConfig.class, ConfigDef.keys());
        SeismoConfig defaults = SeismoConfig.defaults();
        for (ConfigDef.Key<?> key : ConfigDef.keys()) {
            assertEquals(key.parse(key.defaultValue()), binding.value(defaults, key.name()), key.name());
        }
    }
}
