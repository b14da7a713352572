package io.seismo.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.seismo.config.SeismoConfig;
import io.seismo.demo.Demo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seismo demo}: the whole loop on an embedded broker ({@link Demo}). A simulator streams a few dozen series with
 * injected, labelled anomalies; the detector scores them live; the trainer trains the first model off the side topic and
 * the detector swaps it in; at the end, injected and detected anomalies are compared.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo demo", "  seismo demo --duration 5m --series 48 --rate 40"},
        description = "Runs Seismo end to end on an embedded Kafka broker with simulated sensors and shows anomalies as they are caught.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--duration", defaultValue = "90s", converter = DurationConverter.class,
            description = "How long to stream, e.g. 90s or 5m (default: ${DEFAULT-VALUE}). Ctrl-C ends early with the summary.")
    Duration duration;

    @Option(names = "--series", defaultValue = "24", description = "Simulated series (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(names = "--rate", defaultValue = "20",
            description = "Ticks per second; each tick is one reading of every series, one simulated minute (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "7", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's and the detector's data here (default: a temporary directory, removed at the end).")
    Path dataDir;

    @Option(names = "--bad-records", defaultValue = "3",
            description = "Malformed records to slip into the stream, to show dead-lettering (default: ${DEFAULT-VALUE}).")
    int badRecords;

    @Option(names = {"-v", "--verbose"}, description = "Also show the detector's and trainer's logs.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            // The demo narrates on the console itself; keep Seismo's service logs to warnings and errors.
            Console.quietServiceLogs();
        }
        Demo.Options options = new Demo.Options(duration, DurationConverter.format(duration), series, rate, seed, badRecords);
        new Demo(new DemoPlatform(), spec.commandLine().getOut()).run(dataDir, this::config, options);
        return 0;
    }

    /** The demo's settings under the user's: its own application, state and broker data in {@code work}, a fast trainer. */
    private SeismoConfig config(Path work) {
        Map<String, String> demoDefaults = new HashMap<>();
        demoDefaults.put("application.id", "seismo-demo");
        demoDefaults.put("state.dir", work.resolve("state").toString());
        demoDefaults.put("embedded.data.dir", work.resolve("kafka").toString());
        demoDefaults.put("commit.interval.ms", "100");
        demoDefaults.put("train.interval.ms", "20000");
        demoDefaults.put("train.min.samples.per.series", "200");
        demoDefaults.put("train.history", "600");
        demoDefaults.put("train.min.new.samples", "2000");
        // Simulated minutes pass faster than real ones: a sensor's silence is measured in the stream's own time.
        demoDefaults.put("detect.silence.clock", "stream");
        // Twenty simulated minutes pass per second: sweep often enough to find a quarter-hour gap while it lasts.
        demoDefaults.put("state.sweep.interval.ms", "200");
        return configOptions.load(demoDefaults);
    }
}
