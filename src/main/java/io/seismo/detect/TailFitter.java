package io.seismo.detect;

/**
 * Fits a generalised Pareto tail (shape gamma, scale sigma) to the excesses a {@link Spot} keeps over its peak
 * threshold, each known to have been at most the cutoff in force when it was accepted: Grimshaw's procedure for a first
 * shape, then maximum likelihood that accounts for the cutoffs, by Nelder-Mead, or by golden-section search for the
 * exponential tail of a few peaks. docs/thresholds.md ("The tail's fit") says why it departs from the paper.
 *
 * <p>One instance per Spot holds the search's scratch, so a refit allocates nothing; the result of the last
 * {@link #fit} is read from {@link #gamma()} and {@link #sigma()}.
 */
final class TailFitter {

    /** Below this many peaks the tail is fitted as exponential (gamma = 0). */
    static final int MIN_PEAKS_FOR_SHAPE = 10;
    /** Cutoff of a peak that was accepted with no alarm threshold in force (calibration): not truncated. */
    static final float UNTRUNCATED = Float.MAX_VALUE;
    /** Variance of the N(0, 0.25²) prior on gamma; see {@link #refineTruncated}. */
    static final double SHAPE_PRIOR_VARIANCE = 0.0625;
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

    private final double minShape;

    // The peaks of the fit in progress, and the best candidate so far, in units of the peaks' mean.
    private float[] peaks;
    private float[] cutoffs;
    private int peakSize;
    private double fitScale;
    private double bestGamma;
    private double bestSigma;
    private double bestCost;
    private final double[] simplex = new double[6];
    private final double[] simplexCost = new double[3];

    private double gamma;
    private double sigma;
    private double meanExcess;

    /** A fitter whose shapes stay at or above minShape (see {@link SpotConfig#minShape()}). */
    TailFitter(double minShape) {
        this.minShape = minShape;
    }

    /**
     * Fits the first {@code size} peaks (excesses over t, all positive), each truncated at the cutoff in the same
     * slot ({@link #UNTRUNCATED}: not truncated). The previous fit, in the peaks' units, is where the likelihood
     * search starts (and, beyond {@link #MIN_PEAKS_FOR_SHAPE} peaks, why Grimshaw's search is skipped); a
     * previousSigma of 0 means there is none. Neither array is modified.
     */
    void fit(float[] peaks, float[] cutoffs, int size, double previousGamma, double previousSigma) {
        this.peaks = peaks;
        this.cutoffs = cutoffs;
        this.peakSize = size;
        int k = size;
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
        } else if (max > min && !warm(previousSigma)) {
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
            refineTruncated(mean, previousGamma, previousSigma);
        }
        gamma = Math.max(bestGamma, minShape);
        sigma = bestSigma * mean;
        meanExcess = mean;
    }

    /** The fitted shape, at least minShape. */
    double gamma() {
        return gamma;
    }

    /** The fitted scale, in the peaks' units. */
    double sigma() {
        return sigma;
    }

    /** The mean of the fitted peaks: the scale of the exponential tail a caller falls back to. */
    double meanExcess() {
        return meanExcess;
    }

    /** Whether the previous fit already had a shape: then it is the start, and Grimshaw is skipped. */
    private boolean warm(double previousSigma) {
        return previousSigma > 0.0 && peakSize > MIN_PEAKS_FOR_SHAPE;
    }

    // Maximum likelihood of the truncated peaks.

    /**
     * Maximises the likelihood of the peaks, each conditioned on having been at most its cutoff, with a weak
     * N(0, 0.25²) prior on gamma, by Nelder-Mead on (gamma, ln sigma) in normalised units, from the better of the fit
     * so far and the previous fit. Why the cutoffs, the prior and the bounds on gamma: docs/thresholds.md.
     */
    private void refineTruncated(double mean, double previousGamma, double previousSigma) {
        double g0 = clampGamma(bestGamma);
        double l0 = Math.log(bestSigma);
        if (previousSigma > 0.0) {
            double gp = clampGamma(previousGamma);
            double lp = Math.log(previousSigma / mean);
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
     * Few peaks: the exponential tail (gamma = 0), with sigma by the same truncation-aware likelihood, by
     * golden-section search on ln sigma. Why not the mean excess: a few peaks all cut near t keep their mean, and so
     * sigma, tiny for good.
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

    private double clampGamma(double g) {
        return Math.max(minShape + SIMPLEX_STEP, Math.min(MAX_GAMMA - SIMPLEX_STEP, g));
    }

    private void setVertex(int v, double g, double l, double cost) {
        simplex[2 * v] = g;
        simplex[2 * v + 1] = l;
        simplexCost[v] = cost;
    }

    /** Negative log-likelihood per peak of the normalised peaks, each truncated at its cutoff, plus the shape prior. */
    private double truncatedCost(double g, double logSigma) {
        if (!(g >= minShape && g <= MAX_GAMMA) || !Double.isFinite(logSigma)) {
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

    // Grimshaw's procedure.

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
}
