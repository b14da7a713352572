package io.seismo.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.stream.SeismoSerdes;
import io.seismo.train.Replayer;
import io.seismo.train.SeriesPattern;
import io.seismo.train.TrainerListener;
import io.seismo.train.TrainerService;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seismo replay}: copies a time window of readings to the training topic, so the trainer learns from history. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo replay --from 7d --to now", "  seismo replay --from 2026-01-01 --to 2026-01-08 --series \"pump-*\" --into trainer"},
        description = {"Replays a time window of readings [--from, --to) from a topic to the training topic, unchanged (key, value"
                + " and timestamp kept), so the trainer learns from history.",
                "TIME is an ISO-8601 instant (2026-01-01T00:00:00Z), a date (2026-01-01, midnight UTC), epoch milliseconds"
                + " (1767225600000), a duration back from now (7d, 12h, 30m, 90s, 500ms, 2w) or 'now'.",
                "Records that are not Avro Readings are skipped and counted."})
public final class ReplayCommand implements Callable<Integer> {
    /** Where the replayed readings go. */
    enum Target {
        /** The training topic, read by the trainer in its own consumer group. */
        training,
        /** Train in-process and publish a release: not yet supported. */
        trainer
    }

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic to read readings from (default: the configured topic.readings).")
    String topic;

    @Option(names = "--from", paramLabel = "TIME", required = true, description = "Start of the window, included.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now",
            description = "End of the window, excluded (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--series", paramLabel = "PATTERN",
            description = "Series to replay, matched against the record key: a glob over the whole id (sensor-*, sensor-00?) or a"
                    + " regular expression found anywhere in it when written /.../ (/^sensor-0[12]/). Default: every series.")
    String series;

    @Option(names = "--into", paramLabel = "TARGET", defaultValue = "training",
            description = "Where readings go: training (copied to the configured topic.training for the running trainer; default), or"
                    + " trainer (one training run here and now on the window, published through the validation gate;"
                    + " exit code 3 when the gate refuses it).")
    Target into;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private ProgressBar bar;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        Instant start = time("--from", from, now);
        Instant end = time("--to", to, now);
        if (!start.isBefore(end)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--from " + start + " is not before --to " + end + ": the window [from, to) is empty");
        }
        SeriesPattern pattern;
        try {
            pattern = series == null ? SeriesPattern.ALL : SeriesPattern.of(series);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--series: " + e.getMessage(), e, null, series);
        }
        SeismoConfig config = configOptions.load();
        if (into == Target.trainer) {
            return trainOnHistory(out, config, start, end, pattern);
        }
        try (Cluster cluster = Cluster.connect(config, false)) {
            SeismoConfig c = cluster.config();
            String source = topic != null ? topic : c.topics().readings();
            String target = c.topics().training();
            if (source.equals(target)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--topic " + source + " is the training topic itself");
            }
            out.printf("replaying %s [%s, %s) of %s into %s on %s%n", source, start, end,
                    pattern.all() ? "every series" : "series " + pattern, target, c.cluster().bootstrapServers());
            out.flush();
            Replayer.Summary s;
            try (SeismoSerdes.External formats = SeismoSerdes.external(c.formats())) {
                s = new Replayer(c.clientConfig(), Duration.ofSeconds(60), formats.readings().deserializer())
                        .replay(new Replayer.Request(source, start, end, pattern, target), progress());
            } finally {
                closeBar();
            }
            printSummary(out, s, pattern, target);
        }
        return 0;
    }

    /** --into trainer: one training run on the window, here and now, published through the validation gate. */
    private int trainOnHistory(PrintWriter out, SeismoConfig config, Instant start, Instant end, SeriesPattern pattern) {
        try (Cluster cluster = Cluster.connect(config, false)) {
            SeismoConfig c = cluster.config();
            String source = topic != null ? topic : c.topics().readings();
            out.printf("training model '%s' on %s [%s, %s) of %s on %s%n", c.model().name(), source, start, end,
                    pattern.all() ? "every series" : "series " + pattern, c.cluster().bootstrapServers());
            out.flush();
            TrainerService.HistoryOutcome outcome;
            try (SeismoSerdes.External formats = SeismoSerdes.external(c.formats())) {
                outcome = new TrainerService(c, new TrainerListener() {
                    @Override
                    public void trainingStarted(int seriesCount, long samples) {
                        out.printf("read the window; training on %d series, %,d readings%n", seriesCount, samples);
                        out.flush();
                        bar = Console.bar(spec, "train", c.train().epochs(), " epochs", false);
                    }

                    @Override
                    public void epochEnded(int epoch, int maxEpochs) {
                        if (bar != null) {
                            bar.stepTo(epoch);
                        }
                    }
                }, formats.readings().deserializer()).trainFromHistory(source, start.toEpochMilli(), end.toEpochMilli(), pattern::matches);
            } finally {
                closeBar();
            }
            out.printf("readings read     %,d%nseries ready      %d%n", outcome.readingsRead(), outcome.seriesReady());
            if (outcome.published() != null) {
                ModelRelease r = outcome.published();
                out.printf("published release %d of model '%s' (parent %d): held-out error %.4f vs last-value %.4f%s%n", r.getVersion(),
                        r.getModelName(), r.getParentVersion(), r.getTraining().getValidationLoss(), r.getTraining().getBaselineLoss(),
                        r.getParentVersion() > 0 ? String.format(java.util.Locale.ROOT, " and release %d's %.4f", r.getParentVersion(),
                                r.getTraining().getPreviousValidationLoss()) : "");
                out.flush();
                return 0;
            }
            out.println("nothing published: " + outcome.refusal());
            out.flush();
            return 3;
        }
    }

    private Instant time(String option, String text, Instant now) {
        return Console.time(spec, option, text, now);
    }

    private Replayer.Progress progress() {
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

    private void closeBar() {
        bar = Console.close(spec, bar);
    }

    private static void printSummary(PrintWriter out, Replayer.Summary s, SeriesPattern pattern, String target) {
        out.println("Summary");
        line(out, "partitions", String.format(Locale.ROOT, "%d of %d had records in the window", s.partitions(), s.topicPartitions()));
        line(out, "records read", count(s.read()));
        line(out, "matched", count(s.matched()));
        line(out, "skipped undecodable", count(s.undecodable()));
        line(out, "skipped filtered", count(s.filtered()) + (pattern.all() ? "" : " (series not matching " + pattern + ")"));
        if (s.outsideWindow() > 0) {
            line(out, "skipped outside window", count(s.outsideWindow()));
        }
        line(out, "written", count(s.written()) + " to " + target);
        line(out, "time range covered", s.first() == null ? "none" : s.first() + " .. " + s.last());
        line(out, "elapsed", String.format(Locale.ROOT, "%.1f s", s.elapsed().toMillis() / 1000.0));
        line(out, "rate", String.format(Locale.ROOT, "%,.0f records/s", s.rate()));
        out.flush();
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf(Locale.ROOT, "  %-24s%s%n", label, value);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
