package io.seismo.config;

/** What silence and state expiry are measured on ({@code detect.silence.clock}): the wall clock or the task's stream time. */
public enum SilenceClock implements ConfigDef.Choice {
    WALL("wall"),
    STREAM("stream");

    private final String spelling;

    SilenceClock(String spelling) {
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
