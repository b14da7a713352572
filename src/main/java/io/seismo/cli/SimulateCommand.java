package io.seismo.cli;

import java.io.PrintWriter;
import java.time.Duration;

import io.seismo.config.SeismoConfig;
import io.seismo.demo.SimulationFeed;
import io.seismo.sim.SimConfig;
import io.seismo.sim.Simulator;
import io.seismo.stream.SeismoSerdes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seismo simulate}: produces the synthetic sensor stream, with labelled anomalies, to the readings topic. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo simulate --config config/production.properties --series 24 --duration 10m"},
        description = "Produces synthetic sensor readings with injected anomalies to the readings topic of the configured cluster.")
public final class SimulateCommand extends PrintingCommand {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--series", defaultValue = "24", description = "Series to simulate (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(names = "--rate", defaultValue = "20", description = "Ticks per second; each tick is one reading of every series (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to produce, e.g. 90s, 5m, 1h (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--step", defaultValue = "60s", converter = DurationConverter.class,
            description = "Event time between two readings of a series (default: ${DEFAULT-VALUE}).")
    Duration step;


    @Override
    Integer call(PrintWriter out) throws InterruptedException {
        SeismoConfig config = configOptions.load();
        long ticks = Math.max(1, (long) (duration.toMillis() / 1000.0 * rate));
        SimConfig sim = SimConfig.defaults(series, seed);
        sim = new SimConfig(sim.series(), seed, SimulationFeed.startMillisFor(ticks, step.toMillis()), step.toMillis(),
                sim.warmupSteps(), sim.meanGapSteps());
        Simulator simulator = new Simulator(sim);
        try (Cluster cluster = Cluster.connect(config, false);
             SimulationFeed feed = new SimulationFeed(simulator, cluster.config().clientConfig(), cluster.config().topics().readings(),
                     SeismoSerdes.external(cluster.config().formats()).readings())) {
            out.printf("producing %d series at %.1f ticks/s for %s to %s on %s%n", series, rate, DurationConverter.format(duration),
                    cluster.config().topics().readings(), cluster.config().cluster().bootstrapServers());
            out.flush();
            long[] lastReport = {System.nanoTime()};
            feed.run(rate, ticks, () -> false, () -> {
                if (System.nanoTime() - lastReport[0] > 5_000_000_000L) {
                    lastReport[0] = System.nanoTime();
                    out.printf("  %,d readings sent, %d anomalies injected so far%n", feed.produced(), simulator.injected().size());
                    out.flush();
                }
            });
            out.printf("done: %,d readings, %d anomalies injected%n", feed.produced(), simulator.injected().size());
        }
        return 0;
    }
}
