package io.seismo.config;

/** What a series' learned threshold does when a new model takes over ({@code detect.swap.threshold}). */
public enum SwapThreshold implements ConfigDef.Choice {
    CARRY("carry"),
    RECALIBRATE("recalibrate");

    private final String spelling;

    SwapThreshold(String spelling) {
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
