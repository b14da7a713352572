package io.seismo.cli;

import static io.seismo.config.ConfigDef.APPLICATION_ID;
import static io.seismo.config.ConfigDef.BOOTSTRAP_SERVERS;
import static io.seismo.config.ConfigDef.MODEL_HIDDEN_SIZE;
import static io.seismo.config.ConfigDef.PROCESSING_GUARANTEE;
import static io.seismo.config.ConfigDef.STATE_DIR;
import static io.seismo.config.ConfigDef.TOPIC_PARTITIONS;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.seismo.bench.BenchHarness;
import io.seismo.bench.BenchProgress;
import io.seismo.bench.BenchReport;
import io.seismo.config.Overrides;
import io.seismo.config.ProcessingGuarantee;
import io.seismo.config.SeismoConfig;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seismo bench}: the detector against Kafka Streams' own floor, in one run on the embedded broker; the harness is
 * {@link BenchHarness}, which this command runs phase by phase, printing each part of the report as it is measured.
 * Its topic names are defaults; its shape flags, the temporary broker's address, its application id and its state
 * directory (in the folder it removes) rank as flags, above the file and the environment, so that neither a
 * SEISMO_BOOTSTRAP_SERVERS nor a production file's state.dir lets it write to what it does not own.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures, in one run on an embedded broker: records/s of a pass-through topology and of the detector over"
                + " the same pre-produced readings (same serdes, same processing guarantee) and their ratio; end-to-end latency"
                + " percentiles at a fixed offered rate; heap and RSS; bytes of state per series; bytes allocated per record by the"
                + " stream threads.",
                "Example: seismo bench   (500,000 readings over 1,000 series, 4 partitions, LSTM 1x32, exactly-once)",
                "Example: seismo bench --keys 1000000 --records 2000000 --rate 0   (a million series: state in RocksDB, heap bounded)",
                "Example: seismo bench --backfill --records 1000000   (seismo score --topic over a million readings: readings/s, heap)"},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:measured", "1:failed (one line on stderr says why)", "2:bad arguments"})
public final class BenchCommand implements Callable<Integer>, CommandDefaults {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--records", paramLabel = "N", defaultValue = "500000", description = "Readings pre-produced (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--keys", paramLabel = "K", defaultValue = "1000", description = "Series (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "4", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "32", description = "Hidden units of the LSTM (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--guarantee", paramLabel = "G", defaultValue = "exactly_once_v2", converter = ChoiceConverter.Guarantee.class,
            description = "Processing guarantee of both topologies: exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    ProcessingGuarantee guarantee;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "20000",
            description = "Offered readings/s for the latency phase; 0 skips it (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "10", description = "Length of the latency phase (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--backfill", description = "Instead of the topologies, time a backfill of the pre-produced readings, as seismo score"
            + " --topic runs it (in process, from the release in force, retraining unless --no-retrain): readings/s, the split"
            + " between judging and training, and the heap after GC in each quarter of the run.")
    boolean backfill;

    @Option(names = "--retrain", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --backfill: retrain on event time as the trainer would (default: on).")
    boolean retrain;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The bench's temporary folder, named once, made and removed by the run. */
    private final WorkDir work = WorkDir.of(null, "seismo-bench");

    @Override
    public Integer call() throws Exception {
        if (records < keys || keys < 1 || partitions < 1 || rate < 0 || latencySeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need records >= keys >= 1, partitions >= 1, rate >= 0");
        }
        Console.quietServiceLogs();
        PrintWriter o = spec.commandLine().getOut();
        BenchHarness.Options options = new BenchHarness.Options(records, keys, rate, latencySeconds, retrain);
        try (BenchHarness bench = BenchHarness.start(options, work.path(), broker -> config(broker, System.getenv()), this::phase)) {
            print(o, bench.setup());
            bench.produceReadings();
            if (backfill) {
                BenchReport.Backfill timing = bench.backfill();
                // The backfill's bar ends its line, as seismo score's do.
                spec.commandLine().getErr().println();
                spec.commandLine().getErr().flush();
                print(o, timing);
                return 0;
            }
            print(o, bench.throughput());
            if (rate > 0) {
                print(o, bench.latency());
            }
            print(o, bench.memory());
        }
        return 0;
    }

    /** The bench's own topics, under whatever the user sets. */
    @Override
    public Overrides commandDefaults() {
        return Overrides.prefixedTopics("bench-");
    }

    /** The configuration on the broker at {@code bootstrapServers}: the flags and that address above the file and {@code environment}. */
    SeismoConfig config(String bootstrapServers, Map<String, String> environment) {
        Overrides flags = Overrides.of(BOOTSTRAP_SERVERS, bootstrapServers).and(TOPIC_PARTITIONS, partitions)
                .and(PROCESSING_GUARANTEE, guarantee).and(MODEL_HIDDEN_SIZE, hidden)
                .and(APPLICATION_ID, "bench-detector").and(STATE_DIR, work.path().resolve("state").toString());
        return configOptions.loadWithFlags(commandDefaults(), flags, environment);
    }

    private static void print(PrintWriter o, BenchReport part) {
        part.print(o);
        o.flush();
    }

    /** A phase's progress bar on stderr. */
    private BenchProgress.Phase phase(String name, long total) {
        ProgressBar bar = Console.bar(spec, String.format(Locale.ROOT, "%-12s", name), total, " records", true);
        return new BenchProgress.Phase() {
            @Override
            public void stepTo(long done) {
                bar.stepTo(done);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
