package io.seismo.config;

/** What silence and state expiry are measured on ({@code detect.silence.clock}): the wall clock or the task's stream time. */
public enum SilenceClock implements ConfigDef.Choice {
    WALL, STREAM;
}
