package io.seismo.config;

/** Kafka Streams processing guarantee of the detector ({@code processing.guarantee}); the spellings are Kafka's own. */
public enum ProcessingGuarantee implements ConfigDef.Choice {
    EXACTLY_ONCE_V2, AT_LEAST_ONCE;
}
