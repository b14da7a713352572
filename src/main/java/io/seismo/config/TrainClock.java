package io.seismo.config;

/** What the trainer's interval is measured in ({@code train.clock}): wall-clock time or the readings' event time. */
public enum TrainClock implements ConfigDef.Choice {
    WALL, EVENT;
}
