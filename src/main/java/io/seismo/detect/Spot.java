package io.seismo.detect;

import java.util.Arrays;

/**
 * The SPOT / DSPOT streaming threshold of one series of error values (Siffer et al., KDD 2017, "Anomaly Detection
 * in Streams with Extreme Value Theory"): a calibration set fixes a peak threshold t, the excesses over it (peaks)
 * are fitted with a generalised Pareto tail by a {@link TailFitter}, and the tail gives the alarm threshold z_q,
 * exceeded by a normal value with probability q, and every value's tail probability. docs/thresholds.md describes
 * the algorithm, where it departs from the paper and why. Values must be finite.
 *
 * <p>Memory is bounded: a ring of the newest peaks, a drift window, the calibration set while calibrating, kept as
 * floats as they are stored, so {@link #snapshot()} / {@link #restore} and {@link #fields} are exact and a restored
 * instance continues bit-identically.
 */
public final class Spot {

    /** Peaks the calibration set should yield at least; see {@link #calibrationLevel()}. */
    public static final int MIN_CALIBRATION_PEAKS = 10;
    /**
     * The tail is refitted once per {@code peaks / REFIT_SHARE} new peaks (every peak while fewer than twice that
     * many are kept): a refit is a likelihood maximisation over every kept peak, and one new peak in 128 moves it
     * little; between refits z_q still follows n and N_t. docs/thresholds.md has the cost measured and how far the
     * two ways part.
     */
    static final int REFIT_SHARE = 16;
    /** The highest tail level told apart (a probability of 1e-30); beyond a short tail's endpoint, the level. */
    public static final double MAX_TAIL_LEVEL = 30;
    private static final double LN10 = Math.log(10);

    private final SpotConfig config;
    private final double logRisk;
    /** See {@link #REFIT_SHARE}; 0 refits on every peak. */
    private final int refitShare;

    private float[] calibration;
    /** The calibration array, kept once calibrated so a reused instance can calibrate again without allocating. */
    private final float[] calibrationBuffer;
    private int calibrationFill;
    private double t;
    private final float[] peaks;
    private final float[] cutoffs;
    private int peakSize;
    private int peakCursor;
    private long peakCount;
    private long n;
    private double gamma;
    private double sigma;
    private double zq;
    private final float[] drift;
    private int driftSize;
    private int driftCursor;
    private final TailFitter fitter;

    public Spot(SpotConfig config) {
        this(config, REFIT_SHARE);
    }

    /** A SPOT refitting on every peak (refitShare 0) or once per {@code peaks / refitShare} new peaks. */
    Spot(SpotConfig config, int refitShare) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.refitShare = refitShare;
        this.config = config;
        this.logRisk = Math.log(config.risk());
        this.calibrationBuffer = new float[config.calibrationSize()];
        this.calibration = calibrationBuffer;
        this.peaks = new float[config.maxPeaks()];
        this.cutoffs = new float[config.maxPeaks()];
        this.drift = new float[config.driftDepth()];
        this.fitter = new TailFitter(config.minShape());
    }

    /** Feeds one value and classifies it. */
    public Outcome observe(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("value must be finite, got " + x);
        }
        if (calibration != null) {
            calibrate(x);
            return Outcome.CALIBRATING;
        }
        double xp = x - driftLevel();
        if (xp > zq) {
            return Outcome.ALARM;
        }
        n++;
        pushDrift(x);
        float excess = (float) (xp - t);
        if (xp > t && excess > 0f) {
            boolean extreme = movesTheExtremes(excess);
            addPeak(excess, (float) Math.min(zq - t, TailFitter.UNTRUNCATED));
            if (extreme || refitDue()) {
                fit();
            } else {
                updateThreshold();
            }
            return Outcome.PEAK;
        }
        // n moved, so does N_t/n: keep z_q consistent with score() (p(z_q) = q exactly).
        updateThreshold();
        return Outcome.NORMAL;
    }

    private void calibrate(double x) {
        if (drift.length > 0 && driftSize < drift.length) {
            pushDrift(x);
            return;
        }
        float xp = (float) (x - driftLevel());
        pushDrift(x);
        if (calibrationFill == calibration.length) {
            System.arraycopy(calibration, 1, calibration, 0, calibrationFill - 1);
            calibration[calibrationFill - 1] = xp;
        } else {
            calibration[calibrationFill++] = xp;
        }
        if (calibrationFill == calibration.length) {
            tryFinishCalibration();
        }
    }

    private void tryFinishCalibration() {
        float[] sorted = calibration.clone();
        Arrays.sort(sorted);
        double pos = calibrationLevel() * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double level = sorted[lo] + (pos - lo) * ((double) sorted[hi] - sorted[lo]);
        int excesses = 0;
        for (float v : calibration) {
            if (v > level && (float) (v - level) > 0f) {
                excesses++;
            }
        }
        if (excesses == 0) {
            return;
        }
        t = level;
        n = calibration.length;
        for (float v : calibration) {
            float excess = (float) (v - level);
            if (v > level && excess > 0f) {
                addPeak(excess, TailFitter.UNTRUNCATED);
            }
        }
        calibration = null;
        calibrationFill = 0;
        fit();
    }

    /**
     * Quantile level of t: initialQuantile, lowered if needed so that the calibration set leaves about
     * {@link #MIN_CALIBRATION_PEAKS} values above t. Why: from 1 to 3 peaks (150 values at 0.98) the
     * first scale estimate is so noisy that z_q can land just above t and alarm on most of the tail.
     */
    double calibrationLevel() {
        return Math.min(config.initialQuantile(), 1.0 - (double) MIN_CALIBRATION_PEAKS / config.calibrationSize());
    }

    private void pushDrift(double x) {
        if (drift.length == 0) {
            return;
        }
        drift[driftCursor] = (float) x;
        driftCursor = (driftCursor + 1) % drift.length;
        if (driftSize < drift.length) {
            driftSize++;
        }
    }

    private void addPeak(float excess, float cutoff) {
        peaks[peakCursor] = excess;
        cutoffs[peakCursor] = Math.max(cutoff, excess);
        peakCursor = (peakCursor + 1) % peaks.length;
        if (peakSize < peaks.length) {
            peakSize++;
        }
        peakCount++;
    }

    /** DSPOT local level: mean of the drift ring (summed in slot order), 0 for plain SPOT. */
    public double driftLevel() {
        if (driftSize == 0) {
            return 0.0;
        }
        double sum = 0.0;
        for (int i = 0; i < driftSize; i++) {
            sum += drift[i];
        }
        return sum / driftSize;
    }

    /**
     * Whether this peak refits the tail: every peak while few are kept, then once per {@code peakSize / refitShare}
     * (by the lifetime peak count, so a restored instance refits on the same peaks as one that ran on).
     */
    private boolean refitDue() {
        int every = refitShare <= 0 ? 1 : Math.max(1, peakSize / refitShare);
        return peakCount % every == 0;
    }

    /**
     * Whether a new excess changes the largest of the kept peaks, which move the fitted tail most: it exceeds them all, or
     * the ring is full and it evicts the largest. Such a peak is refitted at once, whatever {@link #refitDue()} says.
     */
    private boolean movesTheExtremes(float excess) {
        if (refitShare <= 0 || peakSize == 0) {
            return true;
        }
        float max = 0f;
        for (int i = 0; i < peakSize; i++) {
            max = Math.max(max, peaks[i]);
        }
        return excess >= max || (peakSize == peaks.length && peaks[peakCursor] == max);
    }

    /** Refits the tail to the peaks ring and updates z_q. */
    private void fit() {
        fitter.fit(peaks, cutoffs, peakSize, gamma, sigma);
        gamma = fitter.gamma();
        sigma = fitter.sigma();
        updateThreshold();
        if (!Double.isFinite(zq)) {
            // A tail so heavy that z_q overflows: fall back to the exponential tail of the mean excess.
            gamma = 0.0;
            sigma = fitter.meanExcess();
            updateThreshold();
        }
    }

    private double tailRate() {
        return Math.max((double) peakCount / n, config.risk());
    }

    private void updateThreshold() {
        zq = thresholdOf(t, gamma, sigma, n, peakCount);
    }

    /** z_q of a calibrated state with these fields: what {@link #updateThreshold} sets (the store derives it so). */
    private double thresholdOf(double t0, double g, double s, long observations, long peaks) {
        double logR = logRisk - Math.log(Math.max((double) peaks / observations, config.risk()));
        double excess = g == 0.0 ? -s * logR : s * Math.expm1(-g * logR) / g;
        return t0 + excess;
    }

    /** Alarm threshold z_q in the units of x (drift level included); +infinity while calibrating. */
    public double threshold() {
        return calibrated() ? zq + driftLevel() : Double.POSITIVE_INFINITY;
    }

    /** Peak threshold t in the units of x (drift level included); +infinity while calibrating. */
    public double peakThreshold() {
        return calibrated() ? t + driftLevel() : Double.POSITIVE_INFINITY;
    }

    public boolean calibrated() {
        return calibration == null;
    }

    /**
     * Anomaly score of x in [0, 1], non-decreasing in x, 0.5 at {@link #threshold()}: {@code clamp(ln p / (2 ln q), 0,
     * 1)} of the tail probability p of x (docs/thresholds.md, "The score"). 0 while calibrating.
     */
    public double score(double x) {
        double score = tailLevel(x) * LN10 / (-2.0 * logRisk);
        return Math.min(score, 1.0);
    }

    /**
     * {@code -log10} of the fitted probability that a normal value exceeds x: {@code -log10} of the risk at
     * {@link #threshold()}, the exponential extension of the tail below the peak threshold, 0 at and below the
     * bulk's typical values, at most {@link #MAX_TAIL_LEVEL}; 0 while calibrating. Non-decreasing in x.
     */
    public double tailLevel(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("value must not be NaN");
        }
        if (!calibrated()) {
            return 0.0;
        }
        double xp = x - driftLevel();
        double logRate = Math.log(tailRate());
        double logP;
        if (xp > t) {
            double y = (xp - t) / sigma;
            if (gamma == 0.0) {
                logP = logRate - y;
            } else {
                double arg = gamma * y;
                if (arg <= -1.0) {
                    return MAX_TAIL_LEVEL; // beyond the finite endpoint of a short (gamma < 0) tail
                }
                logP = logRate - Math.log1p(arg) / gamma;
            }
        } else {
            logP = Math.min(0.0, logRate + (t - xp) / sigma);
        }
        double level = -logP / LN10;
        if (!(level > 0.0)) {
            return 0.0;
        }
        return Math.min(level, MAX_TAIL_LEVEL);
    }

    /**
     * The value a normal one exceeds with the given probability: the fitted tail's quantile, {@link #threshold()} at
     * the risk itself (meant for probabilities below the share of peaks); +infinity while calibrating.
     */
    public double quantile(double probability) {
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1), got " + probability);
        }
        if (!calibrated()) {
            return Double.POSITIVE_INFINITY;
        }
        double logR = Math.log(probability) - Math.log(tailRate());
        double excess = gamma == 0.0 ? -sigma * logR : sigma * Math.expm1(-gamma * logR) / gamma;
        return t + excess + driftLevel();
    }

    public double gamma() {
        return gamma;
    }

    public double sigma() {
        return sigma;
    }

    /** n: non-alarm values counted since the start of calibration. */
    public long observations() {
        return n;
    }

    /** N_t: peaks seen in total. */
    public long peakCount() {
        return peakCount;
    }

    /** Peaks currently held in the ring, at most maxPeaks. */
    public int peaksHeld() {
        return peakSize;
    }

    public SpotConfig config() {
        return config;
    }

    // The state as a value (SpotState) and as the store's fields.

    public SpotState snapshot() {
        float[] cal = calibration == null ? new float[0] : Arrays.copyOf(calibration, calibrationFill);
        return new SpotState(n, cal, t, Arrays.copyOf(peaks, peakSize), peakCount, peakCursor, gamma, sigma, zq,
                Arrays.copyOf(drift, driftSize), driftCursor, Arrays.copyOf(cutoffs, peakSize));
    }

    /**
     * Rebuilds a Spot from a snapshot. With the same config the result is indistinguishable from the
     * instance that produced the snapshot. If maxPeaks, driftDepth or calibrationSize changed, the
     * rings are re-packed keeping their newest values (changing driftDepth between zero and non-zero
     * changes the units of t and should come with a fresh state).
     */
    public static Spot restore(SpotConfig config, SpotState state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        Spot spot = new Spot(config);
        if (state.calibrated()) {
            spot.calibration = null;
            spot.n = state.observations();
            spot.t = state.initialThreshold();
            spot.peakCount = state.peakCount();
            spot.gamma = state.gamma();
            spot.sigma = state.sigma();
            spot.zq = state.threshold();
            long ring = restoreRing(state.peaks(), state.peakCursor(), spot.peaks);
            float[] cut = state.peakCutoffs();
            if (cut.length == 0) {
                // A state written without cutoffs: assume each peak was cut at today's z_q. Treating them
                // as uncut would bring back the downward bias that the cutoffs exist to remove.
                float[] p = state.peaks();
                cut = new float[p.length];
                float current = (float) Math.min(state.threshold() - state.initialThreshold(), TailFitter.UNTRUNCATED);
                for (int i = 0; i < p.length; i++) {
                    cut[i] = Math.max(current, p[i]);
                }
            }
            restoreRing(cut, state.peakCursor(), spot.cutoffs);
            spot.peakSize = (int) (ring >>> 32);
            spot.peakCursor = (int) ring;
            if (spot.peakSize == 0) {
                throw new IllegalArgumentException("a calibrated state must hold at least one peak");
            }
        } else {
            float[] cal = state.calibration();
            int keep = Math.min(cal.length, spot.calibration.length);
            System.arraycopy(cal, cal.length - keep, spot.calibration, 0, keep);
            spot.calibrationFill = keep;
        }
        long ring = restoreRing(state.driftWindow(), state.driftCursor(), spot.drift);
        spot.driftSize = (int) (ring >>> 32);
        spot.driftCursor = (int) ring;
        return spot;
    }

    /** Copies a ring into dst; returns size in the high and cursor in the low 32 bits. */
    private static long restoreRing(float[] src, int cursor, float[] dst) {
        int cap = dst.length;
        int len = src.length;
        if (cap == 0 || len == 0) {
            return 0L;
        }
        boolean sameLayout = (len < cap && cursor == len) || (len == cap && cursor < cap);
        if (sameLayout) {
            // Same slots, so sums over the ring run in the same order: bit-identical continuation.
            System.arraycopy(src, 0, dst, 0, len);
            return ((long) len << 32) | cursor;
        }
        int keep = Math.min(len, cap);
        int oldest = cursor % len;
        for (int i = 0; i < keep; i++) {
            dst[i] = src[(oldest + len - keep + i) % len];
        }
        return ((long) keep << 32) | (keep % cap);
    }

    /**
     * The threshold's fields, as the group {@code threshold}: n, t, N_t, the peak cursor, gamma, sigma, z_q (derived
     * from the others from layout 6 on), the drift cursor, then the calibration set, the peaks, the drift window and the
     * peaks' cutoffs, all as floats, as this instance keeps them: the refit starts from the last fit, and a perturbation
     * of the peaks as small as a half's rounding moves a heavy tail's shape by a percent. Read into this instance's
     * arrays when the stored layout fits its config as is; otherwise (a ring or calibration size changed, or a state
     * written without cutoffs) through {@link #restore}, which re-packs and validates.
     */
    void fields(StateFields f) {
        f.begin("threshold");
        long obs = f.count("observations", n);
        double t0 = f.float64("initialThreshold", t);
        long count = f.count("peakCount", peakCount);
        int pCursor = f.int32("peakCursor", peakCursor);
        double g = f.float64("gamma", gamma);
        double s = f.float64("sigma", sigma);
        double z = f.derived("threshold", zq);
        int dCursor = f.int32("driftCursor", driftCursor);
        if (f.layout() < StateFields.COMPACT) {
            f.int32("reserved", 0);
        }
        float[] cal = f.floats("calibration", calibrationBuffer, calibration == null ? 0 : calibrationFill);
        int calLen = f.length();
        float[] p = f.floats("peaks", peaks, peakSize);
        int pLen = f.length();
        float[] d = f.floats("driftWindow", drift, driftSize);
        int dLen = f.length();
        float[] c = f.floats("peakCutoffs", cutoffs, peakSize);
        int cLen = f.length();
        f.end();
        if (!f.reading()) {
            return;
        }
        boolean calibrated = obs > 0;
        if (f.has(StateFields.COMPACT)) {
            z = calibrated && count >= 0 ? thresholdOf(t0, g, s, obs, count) : 0.0;
        }
        boolean fits = count >= 0 && count <= obs && cal == calibrationBuffer && p == peaks && d == drift && c == cutoffs;
        fits &= calibrated ? calLen == 0 : calLen <= calibrationBuffer.length;
        fits &= Double.isFinite(t0) && Double.isFinite(g) && Double.isFinite(s) && s >= 0 && Double.isFinite(z);
        fits &= sameRingLayout(pLen, pCursor, peaks.length) && pLen <= count && (!calibrated || pLen > 0);
        fits &= sameRingLayout(dLen, dCursor, drift.length) && cLen == pLen;
        if (fits) {
            n = obs;
            t = t0;
            peakCount = count;
            gamma = g;
            sigma = s;
            zq = z;
            calibration = calibrated ? null : calibrationBuffer;
            calibrationFill = calibrated ? 0 : calLen;
            peakSize = pLen;
            peakCursor = pLen == 0 ? 0 : pCursor;
            driftSize = dLen;
            driftCursor = dLen == 0 ? 0 : dCursor;
            return;
        }
        copyFrom(restore(config, new SpotState(obs, Arrays.copyOf(cal, calLen), t0, Arrays.copyOf(p, pLen), count, pCursor, g, s, z,
                Arrays.copyOf(d, dLen), dCursor, Arrays.copyOf(c, cLen))));
    }

    /** A ring written as is can be read back as is: the same slots, so sums over it run in the same order. */
    private static boolean sameRingLayout(int len, int cursor, int capacity) {
        if (len <= 0) {
            return len == 0;
        }
        return (len < capacity && cursor == len) || (len == capacity && cursor >= 0 && cursor < capacity);
    }

    private void copyFrom(Spot o) {
        if (o.calibration == null) {
            calibration = null;
            calibrationFill = 0;
        } else {
            System.arraycopy(o.calibration, 0, calibrationBuffer, 0, o.calibrationFill);
            calibration = calibrationBuffer;
            calibrationFill = o.calibrationFill;
        }
        t = o.t;
        System.arraycopy(o.peaks, 0, peaks, 0, o.peakSize);
        System.arraycopy(o.cutoffs, 0, cutoffs, 0, o.peakSize);
        peakSize = o.peakSize;
        peakCursor = o.peakCursor;
        peakCount = o.peakCount;
        n = o.n;
        gamma = o.gamma;
        sigma = o.sigma;
        zq = o.zq;
        System.arraycopy(o.drift, 0, drift, 0, o.driftSize);
        driftSize = o.driftSize;
        driftCursor = o.driftCursor;
    }
}
