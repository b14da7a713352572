package io.seismo.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Alerts matched to labelled anomaly windows: the one matching behind every figure of detection quality ({@code seismo
 * evaluate}, {@code seismo compare}, the synthetic set and the demo's {@link Scorecard}).
 *
 * <p>A window is {@code {start, end}} in epoch millis, both ends inclusive; slack after an anomaly's end, if any, is part
 * of the window when it is made. An alert (an episode's onset) is a <em>true positive</em> when it falls inside at least one
 * judged window, however many; a window is <em>caught</em> when at least one alert falls inside it, however many. An alert
 * inside no judged window is a <em>false positive</em>, unless it falls inside a window set aside as not judged (a label
 * the run ended too soon after to judge): then it is <em>ignored</em>, counted neither way, and so is that window. Which
 * alerts and windows take part (after a probationary period, in the scored part of a series) is the caller's choice.
 */
public final class AlertMatcher {

    /** What one alert counts as. */
    public enum Verdict {
        TRUE_POSITIVE, FALSE_POSITIVE, IGNORED
    }

    /**
     * One series matched.
     *
     * @param windows    the judged windows, as given
     * @param alerts     the alerts' times, as given
     * @param firstAlert per window, the index in {@code alerts} of the first alert inside it, or -1 when it was missed
     * @param verdicts   per alert, what it counts as
     */
    public record Match(List<long[]> windows, long[] alerts, int[] firstAlert, Verdict[] verdicts) {
        public boolean caught(int window) {
            return firstAlert[window] >= 0;
        }

        /** The time of the first alert inside a caught window. */
        public long firstAlertIn(int window) {
            if (!caught(window)) {
                throw new IllegalArgumentException("window " + window + " was missed");
            }
            return alerts[firstAlert[window]];
        }

        public Tally tally() {
            int caught = 0;
            for (int first : firstAlert) {
                if (first >= 0) {
                    caught++;
                }
            }
            int[] counts = new int[Verdict.values().length];
            for (Verdict v : verdicts) {
                counts[v.ordinal()]++;
            }
            return new Tally(windows.size(), caught, counts[Verdict.TRUE_POSITIVE.ordinal()], counts[Verdict.FALSE_POSITIVE.ordinal()],
                    counts[Verdict.IGNORED.ordinal()]);
        }
    }

    /**
     * How a ratio reads when there is nothing to divide by, and F1 when precision and recall are both 0. The commands
     * have printed these differently from the start; each keeps its own.
     *
     * @param emptyRatio precision without judged alerts, recall without windows
     * @param f1OfZeros  F1 when precision and recall are both 0
     */
    public record Conventions(double emptyRatio, double f1OfZeros) {
        /** {@code seismo evaluate}'s report: 0 for nothing to count, and F1 0 when nothing was right. */
        public static final Conventions ZERO_WHEN_EMPTY = new Conventions(0, 0);
        /** The scorecard (demo, synthetic set): undefined (NaN, shown n/a) for nothing to count; F1 0 when nothing was right. */
        public static final Conventions UNDEFINED_WHEN_EMPTY = new Conventions(Double.NaN, 0);
        /** {@code seismo compare}'s table: undefined for nothing to count, and F1 undefined too when nothing was right. */
        public static final Conventions UNDEFINED_WHEN_NOTHING_RIGHT = new Conventions(Double.NaN, Double.NaN);
    }

    /** The counts of one or more matches, and the figures made of them. */
    public record Tally(int windows, int caught, int truePositives, int falsePositives, int ignored) {
        public static final Tally NONE = new Tally(0, 0, 0, 0, 0);

        public int missed() {
            return windows - caught;
        }

        /** Every alert matched: true and false positives and ignored ones. */
        public int alerts() {
            return truePositives + falsePositives + ignored;
        }

        public Tally plus(Tally o) {
            return new Tally(windows + o.windows, caught + o.caught, truePositives + o.truePositives, falsePositives + o.falsePositives,
                    ignored + o.ignored);
        }

        /** True positives / judged alerts (ignored ones left out). */
        public double precision(Conventions c) {
            int judged = truePositives + falsePositives;
            return judged == 0 ? c.emptyRatio() : (double) truePositives / judged;
        }

        /** Caught windows / windows. */
        public double recall(Conventions c) {
            return windows == 0 ? c.emptyRatio() : (double) caught / windows;
        }

        /** The harmonic mean of precision and recall; undefined (NaN) when either is. */
        public double f1(Conventions c) {
            double p = precision(c);
            double r = recall(c);
            if (Double.isNaN(p) || Double.isNaN(r)) {
                return Double.NaN;
            }
            return p + r == 0 ? c.f1OfZeros() : 2 * p * r / (p + r);
        }
    }

    private AlertMatcher() {
    }

    /** Matches alerts to windows, every window judged. */
    public static Match match(List<long[]> windows, long[] alerts) {
        return match(windows, List.of(), alerts);
    }

    /** As {@link #match(List, long[])}, with windows that are not judged: alerts inside only those are ignored. */
    public static Match match(List<long[]> windows, List<long[]> notJudged, long[] alerts) {
        int[] firstAlert = new int[windows.size()];
        Arrays.fill(firstAlert, -1);
        Verdict[] verdicts = new Verdict[alerts.length];
        for (int a = 0; a < alerts.length; a++) {
            boolean hit = false;
            for (int w = 0; w < windows.size(); w++) {
                if (inside(windows.get(w), alerts[a])) {
                    hit = true;
                    if (firstAlert[w] < 0) {
                        firstAlert[w] = a;
                    }
                }
            }
            verdicts[a] = hit ? Verdict.TRUE_POSITIVE : inside(notJudged, alerts[a]) ? Verdict.IGNORED : Verdict.FALSE_POSITIVE;
        }
        return new Match(List.copyOf(windows), alerts.clone(), firstAlert, verdicts);
    }

    /** Whether {@code time} falls inside the window, both ends included. */
    public static boolean inside(long[] window, long time) {
        return time >= window[0] && time <= window[1];
    }

    /** Whether {@code time} falls inside any of the windows. */
    public static boolean inside(List<long[]> windows, long time) {
        for (long[] w : windows) {
            if (inside(w, time)) {
                return true;
            }
        }
        return false;
    }
}
