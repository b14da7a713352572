package io.seismo.config;

/** What a series' learned threshold does when a new model takes over ({@code detect.swap.threshold}). */
public enum SwapThreshold implements ConfigDef.Choice {
    CARRY, RECALIBRATE;
}
