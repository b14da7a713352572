package io.seismo.sim;

import java.util.Locale;

/** The normal behaviour of a synthetic series. */
public enum Shape {
    /** Daily-like sine (period 96, 144 or 288 steps) with a weaker second harmonic and noise. */
    SEASONAL,
    /** Slow linear trend plus a small seasonality and noise. */
    TRENDING,
    /** Constant level with comparatively large Gaussian noise. */
    NOISY,
    /** Mean-reverting AR(1) walk (phi 0.98) plus observation noise; it does not wander off. */
    RANDOM_WALK;

    /** Lower-case, dash-separated name used in series ids, e.g. {@code random-walk}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
