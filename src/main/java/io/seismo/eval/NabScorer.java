package io.seismo.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Numenta Anomaly Benchmark's scoring, as NAB computes it: per file, every row gets a weight from its position
 * relative to the labelled windows (inside a window the scaled sigmoid of its relative position, rewarding early
 * detection; outside, a false-positive cost that fades after the preceding window); rows of the probationary period
 * (the first 15% of a file, at most 750 rows) are left out. A threshold turns anomaly scores into detections (score
 * at or above it): each window counts once, by its earliest detection (or -fnWeight when missed), every detection
 * outside windows costs its weight. The threshold is swept over every score in the corpus and the best one kept;
 * the corpus score is normalised between the null detector (a constant score, swept the same way) at 0 and the
 * perfect detector (tpWeight per window) at 100.
 */
public final class NabScorer {
    /** An application profile: the weights of true positives, false positives and false negatives. */
    public record Profile(String name, double tpWeight, double fpWeight, double fnWeight) {
    }

    /** NAB's three profiles. */
    public static final List<Profile> PROFILES = List.of(
            new Profile("standard", 1.0, 0.11, 1.0),
            new Profile("reward_low_FP_rate", 1.0, 0.22, 1.0),
            new Profile("reward_low_FN_rate", 1.0, 0.11, 2.0));

    /** One scored file: timestamps and anomaly scores (one per row, in order) and its windows [start, end] (inclusive). */
    public record FileScores(String name, long[] timestamps, double[] scores, List<long[]> windows) {
        public FileScores {
            if (timestamps.length != scores.length) {
                throw new IllegalArgumentException(name + ": " + timestamps.length + " timestamps but " + scores.length + " scores");
            }
        }
    }

    /** A row, as the sweep sees it. */
    record Point(double score, double weight, int window) {
        static final int NONE = -1;
        static final int PROBATIONARY = -2;
    }

    /** The corpus (or a file) scored at one threshold. */
    public record ThresholdScore(double threshold, double score, int tp, int tn, int fp, int fn) {
    }

    /** One file's figures at the profile's chosen threshold. */
    public record FileResult(String name, int rows, int windows, int windowsDetected, int falsePositives, double score) {
    }

    /** A profile's result over the corpus. */
    public record ProfileResult(Profile profile, double threshold, double raw, double nullScore, double perfectScore,
                                List<FileResult> files) {
        /** NAB's normalised score: 0 for the null detector, 100 for the perfect one. */
        public double normalized() {
            return 100 * (raw - nullScore) / (perfectScore - nullScore);
        }
    }

    private static final double PROBATION_PERCENT = 0.15;

    private NabScorer() {
    }

    /** NAB's probationary period: 15% of the rows, at most 750. */
    public static int probationLength(int rows) {
        return (int) Math.min(Math.floor(PROBATION_PERCENT * rows), PROBATION_PERCENT * 5000);
    }

    /** NAB's scaled sigmoid of a relative position: about 0.987 at a window's left edge, 0 at its right edge, -1 far after it. */
    public static double scaledSigmoid(double relativePosition) {
        if (relativePosition >= 3.0) {
            return -1.0;
        }
        return 2 / (1 + Math.exp(5 * relativePosition)) - 1.0;
    }

    /** Scores the corpus under one profile: sweeps the threshold, then scores each file at the best one. */
    public static ProfileResult evaluate(List<FileScores> files, Profile profile) {
        return evaluateAt(files, profile, optimise(files, profile).threshold());
    }

    /**
     * Scores the corpus under one profile at a threshold fixed beforehand, without a sweep: a binary detector (scores 1
     * on its detections, 0 elsewhere) at threshold 1 is scored on its detections alone. The null detector is scored as
     * NAB scores it, swept.
     */
    public static ProfileResult evaluateAt(List<FileScores> files, Profile profile, double threshold) {
        double raw = 0;
        List<FileResult> results = new ArrayList<>();
        for (FileScores f : files) {
            FileResult r = scoreFile(f, profile, threshold);
            raw += r.score();
            results.add(r);
        }
        List<FileScores> nullFiles = new ArrayList<>();
        int windows = 0;
        for (FileScores f : files) {
            double[] half = new double[f.scores().length];
            java.util.Arrays.fill(half, 0.5);
            nullFiles.add(new FileScores(f.name(), f.timestamps(), half, f.windows()));
            windows += f.windows().size();
        }
        ThresholdScore nullBest = optimise(nullFiles, profile);
        double nullRaw = 0;
        for (FileScores f : nullFiles) {
            nullRaw += scoreFile(f, profile, nullBest.threshold()).score();
        }
        return new ProfileResult(profile, threshold, raw, nullRaw, windows * profile.tpWeight(), results);
    }

    /** The threshold with the highest corpus score (the highest threshold among equals, as NAB's sweep keeps the first). */
    public static ThresholdScore optimise(List<FileScores> files, Profile profile) {
        List<Point> all = new ArrayList<>();
        int windowOffset = 0;
        for (FileScores f : files) {
            for (Point p : sweepPoints(f, profile)) {
                all.add(p.window() >= 0 ? new Point(p.score(), p.weight(), p.window() + windowOffset) : p);
            }
            windowOffset += f.windows().size();
        }
        ThresholdScore best = null;
        for (ThresholdScore t : scoresByThreshold(all, windowOffset, profile)) {
            if (best == null || t.score() > best.score()) {
                best = t;
            }
        }
        return best;
    }

    /** One file at a threshold, as NAB's scoreDataSet: the row of the file's sweep at that threshold, or the next higher one. */
    public static FileResult scoreFile(FileScores f, Profile profile, double threshold) {
        List<ThresholdScore> rows = scoresByThreshold(sweepPoints(f, profile), f.windows().size(), profile);
        ThresholdScore match = null;
        ThresholdScore previous = null;
        for (ThresholdScore t : rows) {
            if (t.threshold() == threshold) {
                match = t;
                break;
            }
            if (t.threshold() < threshold) {
                match = previous;
                break;
            }
            previous = t;
        }
        if (match == null) {
            match = previous;
        }
        // Windows detected: those holding a row at or above the threshold after the probationary period.
        long[] detections = java.util.stream.IntStream.range(probationLength(f.timestamps().length), f.timestamps().length)
                .filter(i -> f.scores()[i] >= threshold).mapToLong(i -> f.timestamps()[i]).toArray();
        int detected = AlertMatcher.match(f.windows(), detections).tally().caught();
        return new FileResult(f.name(), f.timestamps().length, f.windows().size(), detected, match.fp(), match.score());
    }

    /** NAB's calcSweepScore: each row's weight as a detection, and the window it belongs to. */
    static List<Point> sweepPoints(FileScores f, Profile profile) {
        long[] t = f.timestamps();
        int n = t.length;
        double maxTp = scaledSigmoid(-1.0);
        int probation = probationLength(n);
        List<long[]> windows = new ArrayList<>(f.windows());
        windows.sort(Comparator.comparingLong(w -> w[0]));
        List<Point> out = new ArrayList<>(n);
        int next = 0;
        int current = -1;
        int rightIndex = -1;
        double width = 0;
        int previousRight = -1;
        double previousWidth = 0;
        for (int i = 0; i < n; i++) {
            if (current < 0 && next < windows.size() && t[i] == windows.get(next)[0]) {
                current = next++;
                int left = i;
                rightIndex = indexOf(t, windows.get(current)[1], i);
                width = rightIndex - left + 1;
            }
            double weight;
            if (current >= 0) {
                double position = -(rightIndex - i + 1) / width;
                weight = scaledSigmoid(position) * profile.tpWeight() / maxTp;
            } else {
                double position = previousRight < 0 ? 3.0 : Math.abs(previousRight - i) / (previousWidth - 1);
                weight = scaledSigmoid(position) * profile.fpWeight();
            }
            int window = i < probation ? Point.PROBATIONARY : current >= 0 ? current : Point.NONE;
            out.add(new Point(f.scores()[i], weight, window));
            if (current >= 0 && t[i] == windows.get(current)[1]) {
                previousRight = i;
                previousWidth = width;
                current = -1;
            }
        }
        return out;
    }

    private static int indexOf(long[] t, long value, int from) {
        for (int i = from; i < t.length; i++) {
            if (t[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException("window end " + java.time.Instant.ofEpochMilli(value) + " is not a row of the file");
    }

    /** NAB's calcScoreByThreshold: the score at every distinct anomaly score, from 1.1 (nothing detected) down. */
    static List<ThresholdScore> scoresByThreshold(List<Point> points, int windowCount, Profile profile) {
        List<Point> scorable = new ArrayList<>();
        for (Point p : points) {
            if (p.window() != Point.PROBATIONARY) {
                scorable.add(p);
            }
        }
        // Stable sort, highest score first, as NAB's sorted(..., reverse=True).
        scorable.sort(Comparator.comparingDouble(Point::score).reversed());
        Map<Integer, Double> windowParts = new LinkedHashMap<>();
        for (Point p : scorable) {
            if (p.window() >= 0) {
                windowParts.put(p.window(), -profile.fnWeight());
            }
        }
        double fpPart = 0;
        double windowSum = windowParts.values().stream().mapToDouble(Double::doubleValue).sum();
        int tn = 0;
        int fn = 0;
        for (Point p : scorable) {
            if (p.window() == Point.NONE) {
                tn++;
            } else {
                fn++;
            }
        }
        int tp = 0;
        int fp = 0;
        List<ThresholdScore> out = new ArrayList<>();
        double threshold = 1.1;
        for (Point p : scorable) {
            if (p.score() != threshold) {
                out.add(new ThresholdScore(threshold, fpPart + windowSum, tp, tn, fp, fn));
                threshold = p.score();
            }
            if (p.window() != Point.NONE) {
                tp++;
                fn--;
                double before = windowParts.get(p.window());
                double after = Math.max(before, p.weight());
                windowParts.put(p.window(), after);
                windowSum += after - before;
            } else {
                fp++;
                tn--;
                fpPart += p.weight();
            }
        }
        out.add(new ThresholdScore(threshold, fpPart + windowSum, tp, tn, fp, fn));
        return out;
    }
}
