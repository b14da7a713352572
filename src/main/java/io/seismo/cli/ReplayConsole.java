package io.seismo.cli;

import java.util.Locale;

import io.seismo.schema.ModelRelease;
import io.seismo.train.Replayer;
import io.seismo.train.SeriesPattern;
import io.seismo.train.TrainerListener;
import io.seismo.train.TrainerService;
import picocli.CommandLine;

/** What {@code seismo replay} shows: a progress bar on stderr, and on stdout what was replayed or trained and published. */
final class ReplayConsole extends ProgressConsole {
    ReplayConsole(CommandLine.Model.CommandSpec spec) {
        super(spec);
    }

    /** Hears a replay: a bar of the records to read. */
    Replayer.Progress replaying() {
        return new Replayer.Progress() {
            @Override
            public void planned(int partitions, long offsets) {
                bar = Console.bar(spec, "replay", offsets, " records", true);
            }

            @Override
            public void advanced(long offsetsRead) {
                bar.stepTo(offsetsRead);
            }
        };
    }

    /** Hears a training run on the window: what it trains on, then a bar of its epochs, {@code maxEpochs} at most. */
    TrainerListener training(int maxEpochs) {
        return new TrainerListener() {
            @Override
            public void trainingStarted(int seriesCount, long samples) {
                out.printf("read the window; training on %d series, %,d readings%n", seriesCount, samples);
                out.flush();
                bar = Console.bar(spec, "train", maxEpochs, " epochs", false);
            }

            @Override
            public void epochEnded(int epoch, int maxEpochs) {
                if (bar != null) {
                    bar.stepTo(epoch);
                }
            }
        };
    }

    /** What a replay of {@code pattern}'s series into {@code target} read, skipped and wrote. */
    void replayed(Replayer.Summary s, SeriesPattern pattern, String target) {
        out.println("Summary");
        line("partitions", String.format(Locale.ROOT, "%d of %d had records in the window", s.partitions(), s.topicPartitions()));
        line("records read", count(s.read()));
        line("matched", count(s.matched()));
        line("skipped undecodable", count(s.undecodable()));
        line("skipped filtered", count(s.filtered()) + (pattern.all() ? "" : " (series not matching " + pattern + ")"));
        if (s.outsideWindow() > 0) {
            line("skipped outside window", count(s.outsideWindow()));
        }
        line("written", count(s.written()) + " to " + target);
        line("time range covered", s.first() == null ? "none" : s.first() + " .. " + s.last());
        line("elapsed", String.format(Locale.ROOT, "%.1f s", s.elapsed().toMillis() / 1000.0));
        line("rate", String.format(Locale.ROOT, "%,.0f records/s", s.rate()));
        out.flush();
    }

    /** What a training run on the window read and published, or why it published nothing; the exit code: 0, or 3 when refused. */
    int trained(TrainerService.HistoryOutcome outcome) {
        out.printf("readings read     %,d%nseries ready      %d%n", outcome.readingsRead(), outcome.seriesReady());
        if (outcome.published() != null) {
            ModelRelease r = outcome.published();
            out.printf("published release %d of model '%s' (parent %d): held-out error %.4f vs last-value %.4f%s%n", r.getVersion(),
                    r.getModelName(), r.getParentVersion(), r.getTraining().getValidationLoss(), r.getTraining().getBaselineLoss(),
                    r.getParentVersion() > 0 ? String.format(Locale.ROOT, " and release %d's %.4f", r.getParentVersion(),
                            r.getTraining().getPreviousValidationLoss()) : "");
            out.flush();
            return 0;
        }
        out.println("nothing published: " + outcome.refusal());
        out.flush();
        return 3;
    }

    private void line(String label, String value) {
        out.printf(Locale.ROOT, "  %-24s%s%n", label, value);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
