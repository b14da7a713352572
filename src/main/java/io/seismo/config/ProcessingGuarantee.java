package io.seismo.config;

/** Kafka Streams processing guarantee of the detector ({@code processing.guarantee}); the spellings are Kafka's own. */
public enum ProcessingGuarantee implements ConfigDef.Choice {
    EXACTLY_ONCE_V2("exactly_once_v2"),
    AT_LEAST_ONCE("at_least_once");

    private final String spelling;

    ProcessingGuarantee(String spelling) {
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
