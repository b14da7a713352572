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
 * <ul>
 *   <li>Fewer than {@link #MIN_PEAKS_FOR_SHAPE} peaks: exponential tail (gamma = 0); a shape
 *       estimated from a handful of values swings z_q wildly.</li>
 *   <li>First fit with a shape: Grimshaw's procedure as in the paper. The roots of
 *       {@code u(x)v(x) = 1} are searched on {@code (-1/Y_max, 0)} and
 *       {@code (2(Ȳ-Y_min)/(Ȳ Y_min), 2(Ȳ-Y_min)/Y_min²)} by a grid scan for sign changes refined with
 *       the Illinois method, on excesses divided by their mean so the search is scale-free; each root
 *       gives {@code gamma = v(x) - 1, sigma = gamma / x}, the most likely wins, and the exponential
 *       tail ({@code x = 0}, always a solution) is always a candidate, so the fit cannot fail.</li>
 *   <li>Departing from the paper, the result is then refined by maximum likelihood that accounts for
 *       each peak having been accepted only below the alarm threshold then in force, with a weak
 *       prior on gamma (see {@link #refineTruncated(double)}). On i.i.d. exponential data the paper's
 *       algorithm drifts to several times q of alarms; this does not. Later refits start from the
 *       previous fit (one new peak moves the optimum little) instead of rerunning Grimshaw.</li>
 * </ul>
 * The fit allocates nothing. Calibration lowers the level of t if needed so that about
 * {@link #MIN_CALIBRATION_PEAKS} values lie above it (see {@link #calibrationLevel()}).
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
    /** Peaks the calibration set should yield at least; see {@link #calibrationLevel()}. */
    public static final int MIN_CALIBRATION_PEAKS = 10;
    private static final int GRID_POINTS = 10;
    private static final double ROOT_EPSILON = 1e-8;
    private static final int MAX_ROOT_ITERATIONS = 100;
    private static final int MAX_SIMPLEX_ITERATIONS = 100;
    /** Golden-section steps over ln sigma in [-8, 8] (normalised): the bracket shrinks to ~1e-8. */
    private static final int GOLDEN_ITERATIONS = 45;
    private static final double MAX_GAMMA = 1.0;
    private static final double SIMPLEX_STEP = 0.02;
    /** Per-peak cost spread at which the simplex stops; far below the sampling noise of the fit. */
    private static final double SIMPLEX_TOLERANCE = 1e-7;
    /** Variance of the N(0, 0.25²) prior on gamma; see {@link #refineTruncated(double)}. */
    static final double SHAPE_PRIOR_VARIANCE = 0.0625;
    /** Cutoff of a peak that was accepted with no alarm threshold in force (calibration). */
    static final float UNTRUNCATED = Float.MAX_VALUE;
    /**
     * The tail is refitted once per {@code peaks / REFIT_SHARE} new peaks (every peak while fewer than that many are
     * kept): with 128 peaks kept, every 8th. A refit is a likelihood maximisation over every kept peak (some 0.4 ms at
     * 128 peaks), and one new peak in 128 moves it little; between refits z_q still follows n and N_t. Refitting on
     * every peak cost about 20 µs per observation, averaged, once the ring was full; see {@code SpotRefitTest} for how
     * far the thresholds of the two ways part.
     */
    static final int REFIT_SHARE = 16;

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
    private static final double LN10 = Math.log(10);
    private double zq;
    private final float[] drift;
    private int driftSize;
    private int driftCursor;

    // Fit scratch, so the refit allocates nothing.
    private double fitScale;
    private double bestGamma;
    private double bestSigma;
    private double bestCost;
    private final double[] simplex = new double[6];
    private final double[] simplexCost = new double[3];

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
                float current = (float) Math.min(state.threshold() - state.initialThreshold(), UNTRUNCATED);
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
            addPeak(excess, (float) Math.min(zq - t, UNTRUNCATED));
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
                addPeak(excess, UNTRUNCATED);
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
        fitScale = 1.0 / mean;
        if (k < MIN_PEAKS_FOR_SHAPE) {
            refineExponential();
        } else if (max > min && !warm()) {
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
        if (k >= MIN_PEAKS_FOR_SHAPE) {
            refineTruncated(mean);
        }
        gamma = Math.max(bestGamma, config.minShape());
        sigma = bestSigma * mean;
        updateThreshold();
        if (!Double.isFinite(zq)) {
            gamma = 0.0;
            sigma = mean;
            updateThreshold();
        }
    }

    /**
     * Maximises the likelihood of the peaks, each conditioned on having been at most the cutoff
     * (z_q - t) in force when it was accepted, by Nelder-Mead on (gamma, ln sigma) in normalised
     * units. Why: alarms never become peaks, so the peaks are the tail cut at z_q; fitting them as
     * if uncut biases gamma down, which lowers z_q, which cuts more, a spiral that ends with several
     * times q of alarms (plain SPOT does this on i.i.d. exponential data). Conditioning on each
     * peak's own cutoff removes the bias without ever learning from an alarm. It starts from the
     * better of the Grimshaw (or exponential) fit and the previous fit.
     * Gamma is kept in [-0.5, 1]: below -0.5 the likelihood is irregular (unbounded below -1),
     * above 1 the tail has no mean. Truncation leaves the shape weakly identified (nothing above z_q
     * is ever seen), and a short-tailed fit is self-confirming: its low z_q hides the evidence
     * against it. A weak N(0, 0.25²) prior on gamma (generalised maximum likelihood, as in Martins
     * and Stedinger 2000) keeps the estimate out of that trap; it costs heavy tails some accuracy
     * (a Pareto tail with gamma = 1/3 comes out lower).
     */
    private void refineTruncated(double mean) {
        double g0 = clampGamma(bestGamma);
        double l0 = Math.log(bestSigma);
        if (sigma > 0.0) {
            double gp = clampGamma(gamma);
            double lp = Math.log(sigma / mean);
            if (truncatedCost(gp, lp) < truncatedCost(g0, l0)) {
                g0 = gp;
                l0 = lp;
            }
        }
        simplex[0] = g0;
        simplex[1] = l0;
        simplex[2] = g0 + SIMPLEX_STEP;
        simplex[3] = l0;
        simplex[4] = g0;
        simplex[5] = l0 + SIMPLEX_STEP;
        for (int v = 0; v < 3; v++) {
            simplexCost[v] = truncatedCost(simplex[2 * v], simplex[2 * v + 1]);
        }
        for (int iter = 0; iter < MAX_SIMPLEX_ITERATIONS; iter++) {
            int best = 0;
            int worst = 0;
            for (int v = 1; v < 3; v++) {
                if (simplexCost[v] < simplexCost[best]) {
                    best = v;
                }
                if (simplexCost[v] > simplexCost[worst]) {
                    worst = v;
                }
            }
            int mid = 3 - best - worst;
            if (best == worst) {
                mid = (best + 1) % 3;
                worst = (best + 2) % 3;
            }
            if (simplexCost[worst] - simplexCost[best] < SIMPLEX_TOLERANCE) {
                break;
            }
            double cg = 0.5 * (simplex[2 * best] + simplex[2 * mid]);
            double cl = 0.5 * (simplex[2 * best + 1] + simplex[2 * mid + 1]);
            double wg = simplex[2 * worst];
            double wl = simplex[2 * worst + 1];
            double rg = cg + (cg - wg);
            double rl = cl + (cl - wl);
            double rc = truncatedCost(rg, rl);
            if (rc < simplexCost[best]) {
                double eg = cg + 2.0 * (cg - wg);
                double el = cl + 2.0 * (cl - wl);
                double ec = truncatedCost(eg, el);
                if (ec < rc) {
                    setVertex(worst, eg, el, ec);
                } else {
                    setVertex(worst, rg, rl, rc);
                }
            } else if (rc < simplexCost[mid]) {
                setVertex(worst, rg, rl, rc);
            } else {
                double kg = cg + 0.5 * (wg - cg);
                double kl = cl + 0.5 * (wl - cl);
                double kc = truncatedCost(kg, kl);
                if (kc < simplexCost[worst]) {
                    setVertex(worst, kg, kl, kc);
                } else {
                    for (int v = 0; v < 3; v++) {
                        if (v != best) {
                            double sg = simplex[2 * best] + 0.5 * (simplex[2 * v] - simplex[2 * best]);
                            double sl = simplex[2 * best + 1] + 0.5 * (simplex[2 * v + 1] - simplex[2 * best + 1]);
                            setVertex(v, sg, sl, truncatedCost(sg, sl));
                        }
                    }
                }
            }
        }
        int best = 0;
        for (int v = 1; v < 3; v++) {
            if (simplexCost[v] < simplexCost[best]) {
                best = v;
            }
        }
        if (Double.isFinite(simplexCost[best])) {
            bestGamma = simplex[2 * best];
            bestSigma = Math.exp(simplex[2 * best + 1]);
        }
    }

    /**
     * Few peaks: the exponential tail (gamma = 0), with sigma by the same truncation-aware likelihood,
     * by golden-section search on ln sigma. Why not just the mean excess: when a tiny first sigma puts
     * z_q just above t, every later excess alarms and the few peaks that still get in are all cut
     * near t; their plain mean keeps sigma tiny forever, their truncated likelihood does not.
     */
    private void refineExponential() {
        double lo = -8.0;
        double hi = 8.0;
        double ratio = 0.5 * (Math.sqrt(5.0) - 1.0);
        double a = hi - ratio * (hi - lo);
        double b = lo + ratio * (hi - lo);
        double fa = truncatedCost(0.0, a);
        double fb = truncatedCost(0.0, b);
        for (int i = 0; i < GOLDEN_ITERATIONS; i++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - ratio * (hi - lo);
                fa = truncatedCost(0.0, a);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + ratio * (hi - lo);
                fb = truncatedCost(0.0, b);
            }
        }
        double l = 0.5 * (lo + hi);
        if (truncatedCost(0.0, l) < truncatedCost(0.0, 0.0)) {
            bestSigma = Math.exp(l);
        }
    }

    /** Whether the previous fit already had a shape: then it is the start, and Grimshaw is skipped. */
    private boolean warm() {
        return sigma > 0.0 && peakSize > MIN_PEAKS_FOR_SHAPE;
    }

    private double clampGamma(double g) {
        return Math.max(config.minShape() + SIMPLEX_STEP, Math.min(MAX_GAMMA - SIMPLEX_STEP, g));
    }

    private void setVertex(int v, double g, double l, double cost) {
        simplex[2 * v] = g;
        simplex[2 * v + 1] = l;
        simplexCost[v] = cost;
    }

    /** Negative log-likelihood per peak of the normalised peaks, each truncated at its cutoff. */
    private double truncatedCost(double g, double logSigma) {
        if (!(g >= config.minShape() && g <= MAX_GAMMA) || !Double.isFinite(logSigma)) {
            return Double.POSITIVE_INFINITY;
        }
        double s = Math.exp(logSigma);
        double x = g / s;
        boolean exponential = Math.abs(g) < 1e-9;
        double density = 0.0;
        double truncation = 0.0;
        for (int i = 0; i < peakSize; i++) {
            double y = peaks[i] * fitScale;
            if (exponential) {
                density += y;
            } else {
                double a = x * y;
                if (!(a > -1.0)) {
                    return Double.POSITIVE_INFINITY;
                }
                density += Math.log1p(a);
            }
            if (cutoffs[i] < UNTRUNCATED) {
                double c = cutoffs[i] * fitScale;
                double logSurvivalAtCut;
                if (exponential) {
                    logSurvivalAtCut = -c / s;
                } else {
                    double ac = x * c;
                    logSurvivalAtCut = ac <= -1.0 ? Double.NEGATIVE_INFINITY : -Math.log1p(ac) / g;
                }
                truncation += Math.log(-Math.expm1(logSurvivalAtCut));
            }
        }
        density = exponential ? density / s : density * (1.0 + 1.0 / g);
        double cost = logSigma + (density + truncation + g * g / (2.0 * SHAPE_PRIOR_VARIANCE)) / peakSize;
        return Double.isNaN(cost) ? Double.POSITIVE_INFINITY : cost;
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

    /** The highest tail level told apart (a probability of 1e-30); beyond a short tail's endpoint, the level. */
    public static final double MAX_TAIL_LEVEL = 30;

    /**
     * Anomaly score of x in [0, 1], non-decreasing in x, 0.5 at {@link #threshold()}; see the class
     * comment. 0 while calibrating.
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

    public SpotState snapshot() {
        float[] cal = calibration == null ? new float[0] : Arrays.copyOf(calibration, calibrationFill);
        return new SpotState(n, cal, t, Arrays.copyOf(peaks, peakSize), peakCount, peakCursor, gamma, sigma, zq,
                Arrays.copyOf(drift, driftSize), driftCursor, Arrays.copyOf(cutoffs, peakSize));
    }

    /**
     * The threshold's fields, as the group {@code threshold}: n, t, N_t, the peak cursor, gamma, sigma, z_q (derived
     * from the others from layout 6 on), the drift cursor, then the calibration set, the peaks, the drift window and the
     * peaks' cutoffs, all as floats, as this instance keeps them: the refit starts from the last fit, and a perturbation
     * of the peaks as small as a half's rounding moves a heavy tail's shape by a percent. Read into this instance's arrays when the stored layout
     * fits its config as is; otherwise (a ring or calibration size changed, or a state written without cutoffs) through
     * {@link #restore}, which re-packs and validates.
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
