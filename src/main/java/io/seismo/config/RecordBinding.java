package io.seismo.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each row of {@link ConfigDef} lives in a configuration record: the root record's components are section records
 * (and one {@code Map<String, String>} of Kafka pass-through keys); each component of a section is bound by exactly one
 * row, of the component's type. Found by reflection over the records' canonical constructors and accessors and checked
 * when built: a component no row binds, a component two rows bind, a row naming no component or a type that differs is
 * an {@link IllegalStateException} naming them all.
 */
final class RecordBinding {
    /** A section record: how the root reads it and how it is built from its rows' values, in component order. */
    private record Section(Method accessor, Constructor<?> constructor, List<ConfigDef.Key<?>> rows) {
    }

    /** How one row's value is read back from a root record. */
    private record Location(Method section, Method component) {
    }

    private final Constructor<?> rootConstructor;
    /** The root's components in order: a section, or null for the pass-through map. */
    private final List<Section> rootComponents;
    private final Map<String, Location> locations;

    private RecordBinding(Constructor<?> rootConstructor, List<Section> rootComponents, Map<String, Location> locations) {
        this.rootConstructor = rootConstructor;
        this.rootComponents = rootComponents;
        this.locations = locations;
    }

    /** Binds {@code rows} to {@code root}'s sections, or throws naming every mismatch. */
    static RecordBinding of(Class<? extends Record> root, Collection<ConfigDef.Key<?>> rows) {
        List<String> problems = new ArrayList<>();
        Map<Class<?>, List<ConfigDef.Key<?>>> rowsBySection = new LinkedHashMap<>();
        rows.forEach(row -> rowsBySection.computeIfAbsent(row.section(), s -> new ArrayList<>()).add(row));
        List<Section> rootComponents = new ArrayList<>();
        Map<String, Location> locations = new LinkedHashMap<>();
        int maps = 0;
        for (RecordComponent rc : root.getRecordComponents()) {
            Class<?> type = rc.getType();
            if (type == Map.class) {
                maps++;
                rootComponents.add(null);
                continue;
            }
            if (!type.isRecord()) {
                problems.add(name(rc) + " is neither a section record nor the Map of pass-through keys");
                continue;
            }
            List<ConfigDef.Key<?>> sectionRows = rowsBySection.remove(type);
            if (sectionRows == null) {
                problems.add("no row binds section " + type.getSimpleName());
                continue;
            }
            List<ConfigDef.Key<?>> ordered = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                List<ConfigDef.Key<?>> binding = sectionRows.stream().filter(r -> r.component().equals(component.getName())).toList();
                if (binding.isEmpty()) {
                    problems.add(name(component) + " is bound by no row");
                } else if (binding.size() > 1) {
                    problems.add(name(component) + " is bound by more than one row: " + binding.stream().map(ConfigDef.Key::name).toList());
                } else {
                    ConfigDef.Key<?> row = binding.get(0);
                    if (row.valueType() != component.getType()) {
                        problems.add(row.name() + " holds a " + row.valueType().getSimpleName() + " but " + name(component) + " is a "
                                + component.getType().getSimpleName());
                    }
                    ordered.add(row);
                    locations.put(row.name(), new Location(rc.getAccessor(), component.getAccessor()));
                }
            }
            List<String> componentNames = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
            for (ConfigDef.Key<?> row : sectionRows) {
                if (!componentNames.contains(row.component())) {
                    problems.add("row " + row.name() + " names " + type.getSimpleName() + "." + row.component() + ", which does not exist");
                }
            }
            rootComponents.add(new Section(rc.getAccessor(), canonicalConstructor(type), ordered));
        }
        rowsBySection.forEach((section, orphans) -> problems.add("rows " + orphans.stream().map(ConfigDef.Key::name).toList()
                + " name section " + section.getSimpleName() + ", which is no component of " + root.getSimpleName()));
        if (maps != 1) {
            problems.add(root.getSimpleName() + " needs exactly one Map component for the pass-through keys, has " + maps);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("configuration table and records disagree: " + String.join("; ", problems));
        }
        return new RecordBinding(canonicalConstructor(root), Collections.unmodifiableList(rootComponents), Map.copyOf(locations));
    }

    /** Builds the root record from every row's parsed value (by key name) and the pass-through keys. */
    Object build(Map<String, Object> values, Map<String, String> passThrough) {
        Object[] rootArgs = new Object[rootComponents.size()];
        for (int i = 0; i < rootArgs.length; i++) {
            Section section = rootComponents.get(i);
            if (section == null) {
                rootArgs[i] = passThrough;
            } else {
                rootArgs[i] = construct(section.constructor(), section.rows().stream().map(row -> values.get(row.name())).toArray());
            }
        }
        return construct(rootConstructor, rootArgs);
    }

    /** The value of row {@code key} in {@code root}. */
    Object value(Object root, String key) {
        Location location = locations.get(key);
        try {
            return location.component().invoke(location.section().invoke(root));
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + key, e);
        }
    }

    private static Object construct(Constructor<?> constructor, Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + constructor.getDeclaringClass().getSimpleName(), e);
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> record) {
        Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return record.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(record + " has no canonical constructor", e);
        }
    }

    private static String name(RecordComponent component) {
        return component.getDeclaringRecord().getSimpleName() + "." + component.getName();
    }
}
