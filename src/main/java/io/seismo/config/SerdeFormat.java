package io.seismo.config;

/** Encoding of the Avro records on the topics users read and write ({@code serde.format}). */
public enum SerdeFormat implements ConfigDef.Choice {
    SINGLE_OBJECT("single-object"),
    REGISTRY("registry");

    private final String spelling;

    SerdeFormat(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }

    /** The configuration's spelling, so that the value prints as it is written in a file. */
    @Override
    public String toString() {
        return spelling;
    }
}
