package io.seismo.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.seismo.config.SeismoConfig;
import io.seismo.stream.SeismoSerdes;
import io.seismo.train.ReadingWindow;
import io.seismo.train.Replayer;
import io.seismo.train.TrainerService;
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

    @Override
    public Integer call() {
        ReadingWindow window;
        try {
            window = ReadingWindow.of(from, to, series, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (window.empty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--from " + window.from() + " is not before --to " + window.to() + ": the window [from, to) is empty");
        }
        SeismoConfig config = configOptions.load();
        try (Cluster cluster = Cluster.connect(config, false); ReplayConsole console = new ReplayConsole(spec)) {
            SeismoConfig c = cluster.config();
            String source = topic != null ? topic : c.topics().readings();
            String what = String.format("%s [%s, %s) of %s", source, window.from(), window.to(),
                    window.series().all() ? "every series" : "series " + window.series());
            return into == Target.trainer ? trainOnHistory(c, source, what, window, console) : replay(c, source, what, window, console);
        }
    }

    /** --into training: the window's readings copied to the training topic, for the running trainer. */
    private int replay(SeismoConfig c, String source, String what, ReadingWindow window, ReplayConsole console) {
        String target = c.topics().training();
        if (source.equals(target)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--topic " + source + " is the training topic itself");
        }
        console.println("replaying " + what + " into " + target + " on " + c.cluster().bootstrapServers());
        Replayer.Summary s;
        try (SeismoSerdes.External formats = SeismoSerdes.external(c.formats())) {
            s = new Replayer(c.clientConfig(), Duration.ofSeconds(60), formats.readings().deserializer())
                    .replay(new Replayer.Request(source, window.from(), window.to(), window.series(), target), console.replaying());
        } finally {
            console.endProgress();
        }
        console.replayed(s, window.series(), target);
        return 0;
    }

    /** --into trainer: one training run on the window, here and now, published through the validation gate. */
    private int trainOnHistory(SeismoConfig c, String source, String what, ReadingWindow window, ReplayConsole console) {
        console.println("training model '" + c.model().name() + "' on " + what + " on " + c.cluster().bootstrapServers());
        TrainerService.HistoryOutcome outcome;
        try (SeismoSerdes.External formats = SeismoSerdes.external(c.formats())) {
            outcome = new TrainerService(c, console.training(c.train().epochs()), formats.readings().deserializer())
                    .trainFromHistory(source, window.from().toEpochMilli(), window.to().toEpochMilli(), window.series()::matches);
        } finally {
            console.endProgress();
        }
        return console.trained(outcome);
    }
}
