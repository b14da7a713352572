package io.seismo.cli;

import static io.seismo.config.ConfigDef.APPLICATION_ID;
import static io.seismo.config.ConfigDef.COMMIT_INTERVAL_MS;
import static io.seismo.config.ConfigDef.DETECT_SILENCE_CLOCK;
import static io.seismo.config.ConfigDef.EMBEDDED_DATA_DIR;
import static io.seismo.config.ConfigDef.STATE_DIR;
import static io.seismo.config.ConfigDef.STATE_SWEEP_INTERVAL_MS;
import static io.seismo.config.ConfigDef.TRAIN_HISTORY;
import static io.seismo.config.ConfigDef.TRAIN_INTERVAL_MS;
import static io.seismo.config.ConfigDef.TRAIN_MIN_NEW_SAMPLES;
import static io.seismo.config.ConfigDef.TRAIN_MIN_SAMPLES_PER_SERIES;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.seismo.config.Overrides;
import io.seismo.config.SeismoConfig;
import io.seismo.config.SilenceClock;
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
public final class DemoCommand implements Callable<Integer>, CommandDefaults {
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

    private WorkDir work;

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            // The demo narrates on the console itself; keep Seismo's service logs to warnings and errors.
            Console.quietServiceLogs();
        }
        Demo.Options options = new Demo.Options(duration, DurationConverter.format(duration), series, rate, seed, badRecords);
        SeismoConfig config = configOptions.load(commandDefaults());
        new Demo(new DemoPlatform(), spec.commandLine().getOut()).run(work().path(), work().temporary(), config, options);
        return 0;
    }

    /** The demo's settings under the user's: its own application, state and broker data in its folder, a fast trainer. */
    @Override
    public Overrides commandDefaults() {
        Path dir = work().path();
        return Overrides.of(APPLICATION_ID, "seismo-demo")
                .and(STATE_DIR, dir.resolve("state").toString())
                .and(EMBEDDED_DATA_DIR, dir.resolve("kafka").toString())
                .and(COMMIT_INTERVAL_MS, 100L)
                .and(TRAIN_INTERVAL_MS, 20_000L)
                .and(TRAIN_MIN_SAMPLES_PER_SERIES, 200)
                .and(TRAIN_HISTORY, 600)
                .and(TRAIN_MIN_NEW_SAMPLES, 2_000L)
                // Simulated minutes pass faster than real ones: a sensor's silence is measured in the stream's own time.
                .and(DETECT_SILENCE_CLOCK, SilenceClock.STREAM)
                // Twenty simulated minutes pass per second: sweep often enough to find a quarter-hour gap while it lasts.
                .and(STATE_SWEEP_INTERVAL_MS, 200L);
    }

    /** --data-dir, or a temporary folder (the same for the whole run), removed at the end. */
    private WorkDir work() {
        if (work == null) {
            work = WorkDir.of(dataDir, "seismo-demo");
        }
        return work;
    }
}
