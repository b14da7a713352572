package io.seismo.config;

/** What the trainer's interval is measured in ({@code train.clock}): wall-clock time or the readings' event time. */
public enum TrainClock implements ConfigDef.Choice {
    WALL("wall"),
    EVENT("event");

    private final String spelling;

    TrainClock(String spelling) {
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
