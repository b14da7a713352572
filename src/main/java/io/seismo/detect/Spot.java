package io.seismo.detect;

import java.util.Arrays;

/**
 * SPOT / DSPOT streaming threshold (Siffer et al., KDD 2017, "Anomaly Detection in Streams with
 * Extreme Value Theory") for one series of error values.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li><b>Calibration.</b> With {@code driftDepth = d > 0} the first d values only seed the local
 *       level (DSPOT). The next {@code calibrationSize} values, drift-corrected, form the calibration
 *       set; t is its empirical {@code initialQuantile} quantile (linear interpolation), the excesses
 *       over t are the first peaks and the GPD is fitted to them. If no value lies strictly above t
 *       (a flat series: the top of the set is all ties) there is no tail to fit, so the set slides
 *       forward by one value until one does; until then the outcome stays CALIBRATING.</li>
 *   <li><b>Streaming.</b> A value above z_q is an ALARM and changes nothing; otherwise n grows, and a
 *       value above t is a PEAK: its excess joins the peaks, the GPD is refitted and z_q updated.</li>
 *   <li><b>Drift (DSPOT).</b> Values are taken relative to the mean of the last d non-alarm raw values
 *       (NORMAL and PEAK, as in the paper's Algorithm 4: excluding peaks would bias the level low).</li>
 * </ol>
 *
 * <h2>Fit</h2>
 * Grimshaw's procedure as in the paper: the roots of {@code u(x)v(x) = 1} are searched on
 * {@code (-1/Y_max, 0)} and {@code (2(Ȳ-Y_min)/(Ȳ Y_min), 2(Ȳ-Y_min)/Y_min²)} by a grid scan for sign
 * changes refined with the Illinois method, on excesses divided by their mean so the search is
 * scale-free. Each root gives {@code gamma = v(x) - 1, sigma = gamma / x}; the candidate with the
 * highest likelihood wins, and the exponential tail ({@code gamma = 0, sigma = mean excess}, the
 * other, always valid, solution) is always a candidate, so the fit cannot fail. With fewer than
 * {@link #MIN_PEAKS_FOR_SHAPE} peaks only the exponential tail is used: a shape estimated from a
 * handful of values swings z_q wildly. The refit reuses no buffers beyond the peaks ring: it
 * allocates nothing.
 *
 * <h2>Bounded memory</h2>
 * Only the last {@code maxPeaks} excesses are kept (a ring) and fitted, so gamma and sigma follow the
 * recent tail; n and N_t stay lifetime counters, so the tail mass N_t/n is estimated over the whole
 * history. {@code z_q = t + sigma/gamma * ((q n / N_t)^-gamma - 1)} (limit {@code t - sigma ln(q n /
 * N_t)} at gamma = 0). N_t/n is floored at q: if peaks became rarer than q (e.g. the errors shrank
 * after a better model took over) z_q would otherwise sink below t and alarm on non-tail values;
 * with the floor z_q never goes below t.
 *
 * <h2>Score</h2>
 * With p(x) the estimated probability of exceeding x, {@code score = clamp(ln p / (2 ln q), 0, 1)}:
 * 0.5 exactly where p = q (at z_q), towards 1 far beyond it. Above t, p is the GPD tail
 * {@code (N_t/n)(1 + gamma (x-t)/sigma)^(-1/gamma)}; below t, ln p continues the tail's slope at t
 * ({@code ln(N_t/n) + (t-x)/sigma}, capped at 0), so the score is continuous and non-decreasing in x.
 *
 * <p>State is stored as floats where the caller persists floats (calibration set, peaks, drift
 * window), so {@link #snapshot()} / {@link #restore(SpotConfig, SpotState)} is exact and
 * continuing from a restored instance is bit-identical. Values must be finite.
 */
public final class Spot {

    /** Below this many peaks the tail is fitted as exponential (gamma = 0). */
    public static final int MIN_PEAKS_FOR_SHAPE = 10;
    private static final int GRID_POINTS = 10;
    private static final double ROOT_EPSILON = 1e-8;
    private static final int MAX_ROOT_ITERATIONS = 100;

    private final SpotConfig config;
    private final double logRisk;

    private float[] calibration;
    private int calibrationFill;
    private double t;
    private final float[] peaks;
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

    // Fit scratch, so the refit allocates nothing.
    private double fitScale;
    private double bestGamma;
    private double bestSigma;
    private double bestCost;

    public Spot(SpotConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
        this.logRisk = Math.log(config.risk());
        this.calibration = new float[config.calibrationSize()];
        this.peaks = new float[config.maxPeaks()];
        this.drift = new float[config.driftDepth()];
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
            addPeak(excess);
            fit();
            return Outcome.PEAK;
        }
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
        double pos = config.initialQuantile() * (sorted.length - 1);
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
                addPeak(excess);
            }
        }
        calibration = null;
        calibrationFill = 0;
        fit();
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

    private void addPeak(float excess) {
        peaks[peakCursor] = excess;
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

    private void fit() {
        int k = peakSize;
        double sum = 0.0;
        double min = Double.POSITIVE_INFINITY;
        double max = 0.0;
        for (int i = 0; i < k; i++) {
            double y = peaks[i];
            sum += y;
            min = Math.min(min, y);
            max = Math.max(max, y);
        }
        double mean = sum / k;
        // Exponential tail in normalised units: sigma = 1, cost = ln sigma + 1 + gamma = 1.
        bestGamma = 0.0;
        bestSigma = 1.0;
        bestCost = 1.0;
        if (k >= MIN_PEAKS_FOR_SHAPE && max > min) {
            fitScale = 1.0 / mean;
            double yMin = min * fitScale;
            double yMax = max * fitScale;
            double a = -1.0 / yMax;
            double eps = Math.min(ROOT_EPSILON, -a / GRID_POINTS);
            searchRoots(a + eps, -eps, false);
            double b = 2.0 * (1.0 - yMin) / yMin;
            double c = 2.0 * (1.0 - yMin) / (yMin * yMin);
            if (b > 0.0 && c > b && Double.isFinite(c)) {
                searchRoots(b, c, true);
            }
        }
        gamma = bestGamma;
        sigma = bestSigma * mean;
        updateThreshold();
        if (!Double.isFinite(zq)) {
            gamma = 0.0;
            sigma = mean;
            updateThreshold();
        }
    }

    /** Scans [lo, hi] for sign changes of w and refines each into a candidate. */
    private void searchRoots(double lo, double hi, boolean geometric) {
        if (!(hi > lo)) {
            return;
        }
        double prevX = lo;
        double prevW = w(lo);
        for (int j = 1; j < GRID_POINTS; j++) {
            double f = (double) j / (GRID_POINTS - 1);
            double x = j == GRID_POINTS - 1 ? hi : geometric ? lo * Math.pow(hi / lo, f) : lo + (hi - lo) * f;
            double wx = w(x);
            if (prevW == 0.0) {
                consider(prevX);
            } else if (prevW * wx < 0.0) {
                consider(illinois(prevX, prevW, x, wx));
            }
            prevX = x;
            prevW = wx;
        }
        if (prevW == 0.0) {
            consider(prevX);
        }
    }

    /** Grimshaw's u(x) v(x) - 1 on the normalised peaks. */
    private double w(double x) {
        double su = 0.0;
        double sv = 0.0;
        for (int i = 0; i < peakSize; i++) {
            double s = 1.0 + x * peaks[i] * fitScale;
            su += 1.0 / s;
            sv += Math.log(s);
        }
        return (su / peakSize) * (1.0 + sv / peakSize) - 1.0;
    }

    private double illinois(double a, double fa, double b, double fb) {
        int side = 0;
        double r = b;
        for (int i = 0; i < MAX_ROOT_ITERATIONS; i++) {
            r = (a * fb - b * fa) / (fb - fa);
            double fr = w(r);
            if (fr == 0.0 || Math.abs(b - a) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))) {
                return r;
            }
            if (fr * fb > 0.0) {
                b = r;
                fb = fr;
                if (side == -1) {
                    fa /= 2;
                }
                side = -1;
            } else {
                a = r;
                fa = fr;
                if (side == 1) {
                    fb /= 2;
                }
                side = 1;
            }
        }
        return r;
    }

    /** Keeps the root as the fit if its likelihood beats the best so far. */
    private void consider(double x) {
        if (x == 0.0 || !Double.isFinite(x)) {
            return;
        }
        double sv = 0.0;
        for (int i = 0; i < peakSize; i++) {
            double s = 1.0 + x * peaks[i] * fitScale;
            if (!(s > 0.0)) {
                return;
            }
            sv += Math.log(s);
        }
        double g = sv / peakSize;
        double s = g / x;
        if (g == 0.0 || !(s > 0.0) || !Double.isFinite(s)) {
            return;
        }
        // At a root the log-likelihood is -k (ln sigma + 1 + gamma); compare without the -k.
        double cost = Math.log(s) + 1.0 + g;
        if (cost < bestCost) {
            bestCost = cost;
            bestGamma = g;
            bestSigma = s;
        }
    }

    private double tailRate() {
        return Math.max((double) peakCount / n, config.risk());
    }

    private void updateThreshold() {
        double logR = logRisk - Math.log(tailRate());
        double excess = gamma == 0.0 ? -sigma * logR : sigma * Math.expm1(-gamma * logR) / gamma;
        zq = t + excess;
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
     * Anomaly score of x in [0, 1], non-decreasing in x, 0.5 at {@link #threshold()}; see the class
     * comment. 0 while calibrating.
     */
    public double score(double x) {
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
                    return 1.0; // beyond the finite endpoint of a short (gamma < 0) tail
                }
                logP = logRate - Math.log1p(arg) / gamma;
            }
        } else {
            logP = Math.min(0.0, logRate + (t - xp) / sigma);
        }
        double score = logP / (2.0 * logRisk);
        if (!(score > 0.0)) {
            return 0.0;
        }
        return Math.min(score, 1.0);
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

    public SpotState snapshot() {
        float[] cal = calibration == null ? new float[0] : Arrays.copyOf(calibration, calibrationFill);
        return new SpotState(n, cal, t, Arrays.copyOf(peaks, peakSize), peakCount, peakCursor, gamma, sigma, zq,
                Arrays.copyOf(drift, driftSize), driftCursor);
    }
}
