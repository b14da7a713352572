package io.seismo.detect;

/**
 * Turns per-reading anomalous/normal decisions into episodes, so a run of anomalous readings is one
 * open episode rather than a flood of events. Normal readings inside a run only close it after
 * {@code closeAfter} of them in a row; fewer are a blip and the episode continues.
 *
 * <p>After {@link EpisodeTransition#CLOSED} the accessors still describe the episode just closed
 * (for the CLOSED event) until the next {@link EpisodeTransition#OPENED}.
 */
public final class EpisodeTracker {

    private static final int SEVERITIES = SeverityBand.values().length;

    private final int closeAfter;
    private boolean open;
    private long start;
    private int readings;
    private double peakScore;
    private int maxSeverity;
    private int normalRun;

    public EpisodeTracker(int closeAfter) {
        this(closeAfter, EpisodeState.EMPTY);
    }

    private EpisodeTracker(int closeAfter, EpisodeState state) {
        if (closeAfter < 1) {
            throw new IllegalArgumentException("closeAfter must be >= 1, got " + closeAfter);
        }
        this.closeAfter = closeAfter;
        this.open = state.open();
        this.start = state.start();
        this.readings = state.readings();
        this.peakScore = state.peakScore();
        this.maxSeverity = state.maxSeverity();
        this.normalRun = state.normalRun();
    }

    public static EpisodeTracker restore(int closeAfter, EpisodeState state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        return new EpisodeTracker(closeAfter, state);
    }

    /**
     * Accounts for one reading. {@code score} and {@code severity} are only used for anomalous
     * readings.
     */
    public EpisodeTransition update(boolean anomalous, long timestamp, double score, SeverityBand severity) {
        if (anomalous) {
            if (severity == null) {
                throw new IllegalArgumentException("severity must not be null for an anomalous reading");
            }
            if (Double.isNaN(score)) {
                throw new IllegalArgumentException("score must not be NaN");
            }
            normalRun = 0;
            if (!open) {
                open = true;
                start = timestamp;
                readings = 1;
                peakScore = score;
                maxSeverity = severity.ordinal();
                return EpisodeTransition.OPENED;
            }
            if (readings < Integer.MAX_VALUE) {
                readings++;
            }
            peakScore = Math.max(peakScore, score);
            if (severity.ordinal() > maxSeverity) {
                maxSeverity = severity.ordinal();
                return EpisodeTransition.ESCALATED;
            }
            return EpisodeTransition.NONE;
        }
        if (!open) {
            return EpisodeTransition.NONE;
        }
        normalRun++;
        if (normalRun >= closeAfter) {
            open = false;
            return EpisodeTransition.CLOSED;
        }
        return EpisodeTransition.NONE;
    }

    /**
     * Closes the open episode without a reading (its series went silent); returns whether one was open. The accessors
     * then describe the episode closed, as after {@link EpisodeTransition#CLOSED}.
     */
    public boolean closeNow() {
        if (!open) {
            return false;
        }
        open = false;
        return true;
    }

    public boolean open() {
        return open;
    }

    public long start() {
        return start;
    }

    public int readings() {
        return readings;
    }

    public double peakScore() {
        return peakScore;
    }

    public SeverityBand maxSeverity() {
        return SeverityBand.ofOrdinal(maxSeverity);
    }

    public int normalRun() {
        return normalRun;
    }

    public int closeAfter() {
        return closeAfter;
    }

    public EpisodeState snapshot() {
        return new EpisodeState(open, start, readings, peakScore, maxSeverity, normalRun);
    }

    /**
     * The episode's fields: open, start, readings, peak score (a reported value: float precision), max severity, normal
     * run. Validated as {@link EpisodeState} does.
     */
    void fields(StateFields f) {
        boolean o = f.bool("episodeOpen", open);
        long s = f.int64("episodeStart", start);
        int r = f.int32("episodeReadings", readings);
        double peak = f.float32("episodePeakScore", peakScore);
        int severity = f.int32("episodeSeverity", maxSeverity);
        int normal = f.int32("normalRun", normalRun);
        if (r < 0 || normal < 0 || Double.isNaN(peak) || severity < 0 || severity >= SEVERITIES) {
            new EpisodeState(o, s, r, peak, severity, normal); // throws, naming the bad field
        }
        open = o;
        start = s;
        readings = r;
        peakScore = peak;
        maxSeverity = severity;
        normalRun = normal;
    }
}
