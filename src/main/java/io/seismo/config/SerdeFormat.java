package io.seismo.config;

import java.util.Locale;

/** Encoding of the Avro records on the topics users read and write ({@code serde.format}). */
public enum SerdeFormat implements ConfigDef.Choice {
    SINGLE_OBJECT, REGISTRY;

    /** Spelt with hyphens where the name has underscores. */
    @Override
    public String spelling() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
