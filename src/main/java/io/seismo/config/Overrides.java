package io.seismo.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Values for some keys, each named by its {@link ConfigDef} row and typed by it:
 * {@code Overrides.of(APPLICATION_ID, "x").and(DETECT_SILENCE_CLOCK, SilenceClock.STREAM)}. Immutable; a later value for
 * a key replaces an earlier one. They become configuration as the strings a file would hold ({@link #asMap()}), through
 * {@link SeismoConfig#with(Overrides)} or as a command's defaults, and are validated there with every other key.
 */
public final class Overrides {
    /** No values. */
    public static final Overrides NONE = new Overrides(Map.of());

    /** The topics a run of its own renames (the scores topic, off by default, is not among them). */
    private static final List<ConfigDef.Key<String>> TOPIC_NAMES = List.of(ConfigDef.TOPIC_READINGS, ConfigDef.TOPIC_ANOMALIES,
            ConfigDef.TOPIC_TRAINING, ConfigDef.TOPIC_MODELS, ConfigDef.TOPIC_DEADLETTER, ConfigDef.TOPIC_FEEDBACK);

    private final Map<ConfigDef.Key<?>, Object> values;

    private Overrides(Map<ConfigDef.Key<?>, Object> values) {
        this.values = values;
    }

    /** One value. */
    public static <T> Overrides of(ConfigDef.Key<T> key, T value) {
        return NONE.and(key, value);
    }

    /**
     * Every topic Seismo names, but the scores topic, under its default name with {@code prefix} in front
     * ({@code bench-readings}, ...): a set of topics of one's own beside the usual ones.
     */
    public static Overrides prefixedTopics(String prefix) {
        Overrides topics = NONE;
        for (ConfigDef.Key<String> key : TOPIC_NAMES) {
            topics = topics.and(key, prefix + key.defaultValue());
        }
        return topics;
    }

    /** These values and {@code value} for {@code key}. */
    public <T> Overrides and(ConfigDef.Key<T> key, T value) {
        Map<ConfigDef.Key<?>, Object> more = new LinkedHashMap<>(values);
        more.remove(key);
        more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, () -> key.name() + ": no value"));
        return new Overrides(Collections.unmodifiableMap(more));
    }

    /** These values and {@code more}'s, which win where both set a key. */
    public Overrides and(Overrides more) {
        Map<ConfigDef.Key<?>, Object> all = new LinkedHashMap<>(values);
        more.values.forEach((key, value) -> {
            all.remove(key);
            all.put(key, value);
        });
        return new Overrides(Collections.unmodifiableMap(all));
    }

    /** Each key's name with its value as configuration writes it (an enum constant by its spelling), in the order set. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((key, value) -> m.put(key.name(), key.format(value)));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Overrides other && asMap().equals(other.asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }
}
