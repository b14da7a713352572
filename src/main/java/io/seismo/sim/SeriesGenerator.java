package io.seismo.sim;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Generator state of one series: a clean signal driven by its own random stream, with anomalies
 * laid over it from a second, independent random stream. Because the two streams are separate,
 * the clean signal of a series does not depend on which anomalies were injected.
 */
final class SeriesGenerator {

    private static final AnomalyKind[] KINDS = AnomalyKind.values();
    private static final int[] SEASONAL_PERIODS = {96, 144, 288};
    private static final double AR_PHI = 0.98;

    final String id;
    final Shape shape;
    final double noiseSd;
    /** Typical peak-to-peak extent of the clean signal. */
    final double range;

    private final SimConfig config;
    private final SplittableRandom baseRng;
    private final SplittableRandom anomalyRng;

    private final double level;
    private final double amplitude;
    private final double period;
    private final double phase;
    private final double slope;
    private final double innovationSd;
    private double arDeviation;

    private long nextAnomalyStep;
    private Active active;
    private double lastValue = Double.NaN;
    /** Whether the last value computed lies in a dropout long enough to be a gap (see {@link #inGap()}). */
    private boolean gap;

    private record Active(
            AnomalyKind kind, long startStep, int length, double signedMagnitude, double stuckValue) {
        long endStep() {
            return startStep + length - 1;
        }
    }

    SeriesGenerator(
            String id, Shape shape, SimConfig config, SplittableRandom baseRng, SplittableRandom anomalyRng) {
        this.id = id;
        this.shape = shape;
        this.config = config;
        this.baseRng = baseRng;
        this.anomalyRng = anomalyRng;
        this.level = uniform(baseRng, 20, 80);
        this.phase = uniform(baseRng, 0, 2 * Math.PI);
        switch (shape) {
            case SEASONAL -> {
                amplitude = uniform(baseRng, 5, 20);
                period = SEASONAL_PERIODS[baseRng.nextInt(SEASONAL_PERIODS.length)];
                noiseSd = amplitude * uniform(baseRng, 0.04, 0.08);
                slope = 0;
                innovationSd = 0;
                range = 2 * amplitude;
            }
            case TRENDING -> {
                noiseSd = uniform(baseRng, 0.5, 2);
                amplitude = 2 * noiseSd;
                period = 144;
                slope = (baseRng.nextBoolean() ? 1 : -1) * noiseSd * uniform(baseRng, 0.002, 0.006);
                innovationSd = 0;
                range = 2 * amplitude + 4 * noiseSd;
            }
            case NOISY -> {
                noiseSd = uniform(baseRng, 2, 5);
                amplitude = 0;
                period = 1;
                slope = 0;
                innovationSd = 0;
                range = 6 * noiseSd;
            }
            case RANDOM_WALK -> {
                innovationSd = uniform(baseRng, 0.3, 1);
                noiseSd = innovationSd;
                amplitude = 0;
                period = 1;
                slope = 0;
                double stationarySd = innovationSd / Math.sqrt(1 - AR_PHI * AR_PHI);
                arDeviation = stationarySd * baseRng.nextGaussian();
                range = 4 * stationarySd;
            }
            default -> throw new IllegalStateException("unknown shape " + shape);
        }
        this.nextAnomalyStep = config.warmupSteps() + anomalyRng.nextInt(config.meanGapSteps());
    }

    /** Value at {@code step}; appends a label to {@code labels} when an anomaly starts here. */
    double next(long step, List<InjectedAnomaly> labels) {
        // Clean part: always consumes the same random numbers, whatever the anomalies do.
        double cleanLevel = cleanLevel(step);
        double noise = noiseSd * baseRng.nextGaussian();
        double clean = cleanLevel + noise;

        if (active == null && step >= nextAnomalyStep) {
            active = startAnomaly(step, clean);
            labels.add(
                    new InjectedAnomaly(
                            id, active.kind(), config.timestampOf(step), config.timestampOf(active.endStep())));
            long gap = Math.round(uniform(anomalyRng, 0.5, 1.5) * config.meanGapSteps());
            nextAnomalyStep = step + Math.max(active.length() + SimConfig.MIN_NORMAL_STEPS, gap);
        }

        double value = clean;
        gap = false;
        if (active != null) {
            int i = (int) (step - active.startStep());
            gap = active.kind() == AnomalyKind.DROPOUT && active.length() >= GAP_DROPOUT_STEPS;
            value =
                    switch (active.kind()) {
                        case SPIKE, DIP, LEVEL_SHIFT -> clean + active.signedMagnitude();
                        case STUCK -> active.stuckValue();
                        case VARIANCE_CHANGE -> cleanLevel + 5 * noise;
                        case TREND_CHANGE -> clean + active.signedMagnitude() * (i + 1) / active.length();
                        case PERIOD_CHANGE -> fasterCycle(step) + noise;
                        case DROPOUT -> 0.0;
                    };
            if (step >= active.endStep()) {
                active = null;
            }
        }
        lastValue = value;
        return value;
    }

    /** Dropouts at least this long are, when the simulator makes gaps, silence rather than zeros. */
    static final int GAP_DROPOUT_STEPS = 16;

    /**
     * Whether the last step lies in a dropout of {@link #GAP_DROPOUT_STEPS} or more: a sensor that loses its signal for
     * long sends nothing at all. Decided from the dropout's length, so the random streams are the same either way.
     */
    boolean inGap() {
        return gap;
    }

    private double cleanLevel(long step) {
        double theta = 2 * Math.PI * step / period + phase;
        return switch (shape) {
            case SEASONAL -> level + amplitude * Math.sin(theta) + 0.2 * amplitude * Math.sin(2 * theta);
            case TRENDING -> level + slope * step + amplitude * Math.sin(theta);
            case NOISY -> level;
            case RANDOM_WALK -> {
                arDeviation = AR_PHI * arDeviation + innovationSd * baseRng.nextGaussian();
                yield level + arDeviation;
            }
        };
    }

    /** The clean signal with its cycle four times faster (or, without a cycle, a new one of 12 steps). */
    private double fasterCycle(long step) {
        if (shape == Shape.SEASONAL || shape == Shape.TRENDING) {
            // Offset by one radian (not a rational part of a turn) so the two cycles never meet exactly on a step.
            double theta = 2 * Math.PI * step / (period / 4) + phase + 1.0;
            double base = shape == Shape.TRENDING ? level + slope * step : level;
            double second = shape == Shape.SEASONAL ? 0.2 * amplitude * Math.sin(2 * theta) : 0;
            return base + amplitude * Math.sin(theta) + second;
        }
        double theta = 2 * Math.PI * step / 12.0 + 1.0;
        return level + (shape == Shape.RANDOM_WALK ? arDeviation : 0) + 0.25 * range * Math.sin(theta);
    }

    private Active startAnomaly(long step, double clean) {
        AnomalyKind kind = KINDS[anomalyRng.nextInt(KINDS.length)];
        double sign = anomalyRng.nextBoolean() ? 1 : -1;
        return switch (kind) {
            case SPIKE -> new Active(kind, step, 1 + anomalyRng.nextInt(3), spikeSize(), Double.NaN);
            case DIP -> new Active(kind, step, 1 + anomalyRng.nextInt(3), -spikeSize(), Double.NaN);
            case LEVEL_SHIFT ->
                    new Active(
                            kind,
                            step,
                            lengthBetween(40, 120),
                            sign * (uniform(anomalyRng, 5, 7) * noiseSd + 0.3 * range),
                            Double.NaN);
            case STUCK ->
                    new Active(
                            kind, step, lengthBetween(30, 80), 0, Double.isNaN(lastValue) ? clean : lastValue);
            case VARIANCE_CHANGE -> new Active(kind, step, lengthBetween(40, 120), 0, Double.NaN);
            case TREND_CHANGE ->
                    new Active(
                            kind,
                            step,
                            lengthBetween(40, 120),
                            sign * (uniform(anomalyRng, 6, 9) * noiseSd + 0.4 * range),
                            Double.NaN);
            case PERIOD_CHANGE -> new Active(kind, step, lengthBetween(40, 120), 0, Double.NaN);
            case DROPOUT -> new Active(kind, step, lengthBetween(5, 30), 0, Double.NaN);
        };
    }

    private double spikeSize() {
        return uniform(anomalyRng, 6, 10) * noiseSd + 0.5 * range;
    }

    private int lengthBetween(int min, int max) {
        return min + anomalyRng.nextInt(max - min + 1);
    }

    private static double uniform(SplittableRandom rng, double min, double max) {
        return min + (max - min) * rng.nextDouble();
    }
}
