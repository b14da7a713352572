package io.seismo.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

import io.seismo.config.ConfigDef;
import io.seismo.config.Overrides;
import io.seismo.config.SeismoConfig;
import io.seismo.nn.Network;
import io.seismo.nn.TrainingListener;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.TrainingInfo;
import io.seismo.train.ModelTrainer;

/**
 * Trains one model per configuration on the first part of every series and runs every series, whole, through the
 * detector (a {@link Judgement}: history scoring's in-process run of the production processors) with that model in
 * force, measuring on the rest: next-value prediction error, detection quality against the labelled windows, size and
 * speed (microseconds per reading judged, the driver included).
 */
public final class CellComparison {

    /** One model's figures; {@code alerts}: the episodes opened in the scored part against the windows overlapping it. */
    public record Row(String model, int parameters, double mse, double naiveMse, AlertMatcher.Tally alerts, double microsPerReading,
                      double trainSeconds, int epochs) {
        public double precision() {
            return alerts.precision(AlertMatcher.Conventions.UNDEFINED_WHEN_NOTHING_RIGHT);
        }

        public double recall() {
            return alerts.recall(AlertMatcher.Conventions.UNDEFINED_WHEN_NOTHING_RIGHT);
        }

        public double f1() {
            return alerts.f1(AlertMatcher.Conventions.UNDEFINED_WHEN_NOTHING_RIGHT);
        }
    }

    /** Reports work done: {@code stage} starts a stage of {@code total} units, the consumer gets units done. */
    public interface Progress {
        IntConsumer stage(String name, int total);

        Progress NONE = (name, total) -> done -> { };
    }

    /**
     * Judges every reading of one series with a release in force from its first reading (null: the baseline forecaster)
     * and no retraining, as the detector does: the command passes history scoring's own run, so the comparison is the
     * detector's decision, not a second one.
     */
    public interface Judgement {
        Judged judge(SeismoConfig config, ModelRelease release, LabelledSeries series);
    }

    /**
     * What the detector said of a series: the value it expected at each reading (NaN for a reading it did not judge) and
     * the times at which episodes opened.
     */
    public record Judged(double[] expected, List<Long> opened) {
    }

    private CellComparison() {
    }

    /**
     * The baseline, then each of {@code cells} (the configuration's model.cell replaced) trained and scored on the same data,
     * one row each.
     */
    public static List<Row> compare(SeismoConfig config, List<String> cells, List<LabelledSeries> data, double trainFraction,
                                    Judgement judgement, Progress progress) {
        List<Row> rows = new ArrayList<>();
        rows.add(baseline(config, data, trainFraction, judgement, progress));
        for (String cell : cells) {
            rows.add(evaluate(config.with(Overrides.of(ConfigDef.MODEL_CELL, cell.trim())), data, trainFraction, judgement, progress));
        }
        return rows;
    }

    /** The last-value forecaster, no model: what every cell must beat. */
    public static Row baseline(SeismoConfig config, List<LabelledSeries> data, double trainFraction, Judgement judgement, Progress progress) {
        return score("baseline (last value)", 0, null, config, data, trainFraction, 0, 0, judgement, progress);
    }

    /** Trains the configured model on the first {@code trainFraction} of every series, then scores every series. */
    public static Row evaluate(SeismoConfig config, List<LabelledSeries> data, double trainFraction, Judgement judgement, Progress progress) {
        List<ModelTrainer.TimedValues> training = new ArrayList<>();
        for (LabelledSeries s : data) {
            int split = split(s, trainFraction);
            if (split > config.train().window() + 1) {
                training.add(new ModelTrainer.TimedValues(java.util.Arrays.copyOf(s.timestamps(), split),
                        java.util.Arrays.copyOf(s.values(), split)));
            }
        }
        if (training.isEmpty()) {
            throw new IllegalArgumentException("no series has enough values before the split to train on");
        }
        IntConsumer epochs = progress.stage("train " + config.model().cell(), config.train().epochs());
        ModelTrainer trainer = new ModelTrainer(config);
        TrainingListener listener = (epoch, max, trainLoss, validationLoss) -> epochs.accept(1);
        ModelTrainer.Candidate candidate = trainer.train(training, null, config.train().seed(), listener);
        Network network = candidate.result().network();
        TrainingInfo info = TrainingInfo.newBuilder().setSeries(candidate.series())
                .setSamples(candidate.samples()).setEpochs(candidate.result().epochs()).setWindow(config.train().window())
                .setTrainLoss(candidate.result().trainLoss()).setValidationLoss(candidate.heldOutLoss())
                .setBaselineLoss(candidate.naiveHeldOutLoss()).setSeed(config.train().seed()).setFromTime(java.time.Instant.EPOCH)
                .setToTime(java.time.Instant.EPOCH).setDurationMillis(candidate.durationMillis()).build();
        ModelRelease release = ModelReleases.toRelease(config.model().name(), 1, 0, network, ModelReleases.inputsOf(config.model()),
                info, java.time.Instant.EPOCH);
        String name = config.model().cell() + ("value".equals(config.model().inputs()) ? "" : " +" + config.model().inputs().replace("value,", ""));
        return score(name, network.shape().parameterCount(), release, config, data, trainFraction,
                candidate.durationMillis() / 1000.0, candidate.result().epochs(), judgement, progress);
    }

    private static Row score(String name, int parameters, ModelRelease release, SeismoConfig config, List<LabelledSeries> data,
                             double trainFraction, double trainSeconds, int epochs, Judgement judgement, Progress progress) {
        IntConsumer done = progress.stage("score " + name, data.size());
        double squared = 0;
        double naiveSquared = 0;
        long errors = 0;
        AlertMatcher.Tally alerts = AlertMatcher.Tally.NONE;
        long readings = 0;
        long nanos = 0;
        for (LabelledSeries s : data) {
            int split = split(s, trainFraction);
            double sd = sd(s.values(), split);
            long began = System.nanoTime();
            Judged judged = judgement.judge(config, release, s);
            double[] expected = judged.expected();
            long splitTime = s.timestamps()[Math.min(split, s.size() - 1)];
            List<Long> opened = judged.opened().stream().filter(t -> t >= splitTime).toList();
            nanos += System.nanoTime() - began;
            readings += s.size();
            for (int i = Math.max(split, 1); i < s.size(); i++) {
                if (Double.isNaN(expected[i])) {
                    continue;
                }
                double e = (s.values()[i] - expected[i]) / sd;
                double n = (s.values()[i] - s.values()[i - 1]) / sd;
                squared += e * e;
                naiveSquared += n * n;
                errors++;
            }
            List<long[]> labelled = s.windows().stream().filter(w -> w[1] >= splitTime).toList();
            alerts = alerts.plus(AlertMatcher.match(labelled, opened.stream().mapToLong(Long::longValue).toArray()).tally());
            done.accept(1);
        }
        return new Row(name, parameters, squared / Math.max(1, errors), naiveSquared / Math.max(1, errors), alerts,
                nanos / 1e3 / Math.max(1, readings), trainSeconds, epochs);
    }

    private static int split(LabelledSeries s, double trainFraction) {
        return (int) Math.round(s.size() * trainFraction);
    }

    /** Standard deviation of the training part (floored), the unit prediction errors are measured in. */
    private static double sd(double[] values, int split) {
        int n = Math.max(2, Math.min(split, values.length));
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += values[i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (values[i] - mean) * (values[i] - mean);
        }
        return Math.max(Math.sqrt(var / (n - 1)), Math.max(1e-9, 1e-6 * Math.abs(mean)));
    }

    /** The rows as a fixed-width table, or as Markdown. */
    public static String table(List<Row> rows, boolean markdown) {
        StringBuilder out = new StringBuilder();
        String[] head = {"model", "params", "MSE", "vs naive", "precision", "recall", "F1", "windows", "detections", "µs/reading", "train s", "epochs"};
        if (markdown) {
            out.append("| ").append(String.join(" | ", head)).append(" |\n|");
            out.append("---|".repeat(head.length)).append('\n');
        } else {
            out.append(String.format(Locale.ROOT, "%-22s %7s %7s %8s %9s %7s %6s %8s %10s %10s %7s %6s%n", (Object[]) head));
        }
        for (Row r : rows) {
            AlertMatcher.Tally a = r.alerts();
            Object[] cells = {r.model(), r.parameters(), fmt(r.mse()), fmt(r.mse() / r.naiveMse()), fmt(r.precision()), fmt(r.recall()),
                fmt(r.f1()), a.caught() + "/" + a.windows(), a.truePositives() + "/" + a.alerts(), String.format(Locale.ROOT, "%.2f",
                r.microsPerReading()), String.format(Locale.ROOT, "%.1f", r.trainSeconds()), r.epochs()};
            if (markdown) {
                StringBuilder line = new StringBuilder("|");
                for (Object c : cells) {
                    line.append(' ').append(c).append(" |");
                }
                out.append(line).append('\n');
            } else {
                out.append(String.format(Locale.ROOT, "%-22s %7s %7s %8s %9s %7s %6s %8s %10s %10s %7s %6s%n", cells));
            }
        }
        return out.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
