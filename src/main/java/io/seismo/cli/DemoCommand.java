package io.seismo.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.seismo.config.SeismoConfig;
import io.seismo.eval.Scorecard;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.sim.InjectedAnomaly;
import io.seismo.sim.SimConfig;
import io.seismo.sim.Simulator;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.train.TrainerListener;
import io.seismo.train.TrainerService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seismo demo}: the whole loop on an embedded broker. A simulator streams a few dozen series with injected,
 * labelled anomalies; the detector scores them live; the trainer trains the first model off the side topic and the
 * detector swaps it in; at the end, injected and detected anomalies are compared.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo demo", "  seismo demo --duration 5m --series 48 --rate 40"},
        description = "Runs Seismo end to end on an embedded Kafka broker with simulated sensors and shows anomalies as they are caught.")
public final class DemoCommand implements Callable<Integer> {
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

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

    private volatile boolean interrupted;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!verbose) {
            // The demo narrates on the console itself; keep Seismo's service logs to warnings and errors.
            Console.quietServiceLogs();
        }
        Path work = dataDir != null ? dataDir : Files.createTempDirectory("seismo-demo");
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
        SeismoConfig config = configOptions.load(demoDefaults);

        long ticks = Math.max(1, (long) (duration.toMillis() / 1000.0 * rate));
        SimConfig defaults = SimConfig.defaults(series, seed);
        long step = defaults.stepMillis();
        SimConfig simConfig = new SimConfig(series, seed, SimulationFeed.startMillisFor(ticks, step), step,
                defaults.warmupSteps(), defaults.meanGapSteps());
        Simulator simulator = new Simulator(simConfig, true);

        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        // Ctrl-C ends the stream early; the hook holds the JVM until the summary is printed and everything is closed.
        Thread hook = new Thread(() -> {
            interrupted = true;
            try {
                finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seismo-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.printf("Seismo demo: %d simulated sensors, one reading per simulated minute, %.0f readings/s, for %s%n",
                series, series * rate, DurationConverter.format(duration));
        out.println("Starting the embedded Kafka broker (KRaft, single node)...");
        out.flush();
        long began = System.nanoTime();
        List<AnomalyEvent> opened = Collections.synchronizedList(new ArrayList<>());
        AtomicLong deadLetters = new AtomicLong();
        AtomicReference<String> modelInForce = new AtomicReference<>("baseline forecaster (no model yet)");
        try (Cluster cluster = Cluster.connect(config, false)) {
            SeismoConfig c = cluster.config();
            out.printf("Broker up at %s in %.1f s; topics: %s, %s, %s, %s, %s%n", c.cluster().bootstrapServers(),
                    (System.nanoTime() - began) / 1e9, c.topics().readings(), c.topics().anomalies(), c.topics().training(),
                    c.topics().models(), c.topics().deadLetter());
            out.printf("Detector: Kafka Streams app '%s', %s, state in RocksDB at %s%n", c.cluster().applicationId(),
                    c.cluster().processingGuarantee(), c.cluster().stateDir());
            out.flush();
            try (SeismoSerdes.External formats = SeismoSerdes.external(c.formats());
                 HttpApi api = HttpApi.start(c);
                 DetectorApp detector = api.detector(c);
                 TrainerService trainer = new TrainerService(c, api.counting(trainerListener(out, modelInForce)),
                         formats.readings().deserializer());
                 TopicTail alerts = new TopicTail(c.clientConfig(), c.topics().anomalies(),
                         r -> onAnomaly(out, formats.anomalies().deserializer().deserialize(r.topic(), r.value()), simulator, opened));
                 TopicTail dead = new TopicTail(c.clientConfig(), c.topics().deadLetter(), r -> {
                     DeadLetter d = formats.deadLetters().deserializer().deserialize(r.topic(), r.value());
                     deadLetters.incrementAndGet();
                     println(out, String.format(Locale.ROOT, "  dead letter   %s: %s (from %s/%d@%d)", d.getReasonCode(),
                             d.getReason(), d.getSourceTopic(), d.getSourcePartition(), d.getSourceOffset()));
                 });
                 SimulationFeed feed = new SimulationFeed(simulator, c.clientConfig(), c.topics().readings(), formats.readings())) {
                if (api.url() != null) {
                    println(out, "API and metrics: " + api.url() + " (try " + api.url() + "api/series and " + api.url() + "metrics)");
                    println(out, "Dashboard: " + api.url());
                }
                detector.start();
                trainer.start();
                println(out, "Streaming. Anomalies appear below as the detector opens, escalates and closes episodes.");
                long streamStart = System.nanoTime();
                long[] lastReport = {streamStart};
                long[] badSent = {0};
                feed.run(rate, ticks, () -> interrupted, () -> {
                    long now = System.nanoTime();
                    if (badSent[0] < badRecords && feed.produced() > (badSent[0] + 1) * (series * ticks / (badRecords + 1))) {
                        sendBadRecord(feed, c.topics().readings(), (int) badSent[0]++);
                    }
                    if (now - lastReport[0] >= 5_000_000_000L) {
                        lastReport[0] = now;
                        println(out, String.format(Locale.ROOT,
                                "[%4.0fs] %,9d readings sent | %3d anomalies detected | %2d injected | model: %s | detector %s",
                                (now - streamStart) / 1e9, feed.produced(), opened.size(), simulator.injected().size(),
                                modelInForce.get(), detector.streams().state()));
                    }
                });
                println(out, "Stream ended; letting the detector catch up...");
                awaitCaughtUp(c, feed.produced(), Duration.ofSeconds(30));
                summary(out, simulator, opened, feed.produced(), deadLetters.get(), trainer.latestVersion(), step);
            }
        } finally {
            if (dataDir == null) {
                Console.deleteQuietly(work);
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us.
            }
        }
        return 0;
    }

    private TrainerListener trainerListener(PrintWriter out, AtomicReference<String> modelInForce) {
        return new TrainerListener() {
            @Override
            public void trainingStarted(int seriesCount, long samples) {
                println(out, String.format(Locale.ROOT, "  trainer       training on %d series, %,d normal readings...", seriesCount, samples));
            }

            @Override
            public void released(ModelRelease r) {
                modelInForce.set(String.format(Locale.ROOT, "%s v%d", r.getCellType(), r.getVersion()));
                println(out, String.format(Locale.ROOT,
                        "  model         release %d published: %s %dx%d, %d epochs in %.1f s, validation MSE %.3f vs last-value %.3f",
                        r.getVersion(), r.getCellType(), r.getLayers(), r.getHiddenSize(), r.getTraining().getEpochs(),
                        r.getTraining().getDurationMillis() / 1000.0, r.getTraining().getValidationLoss(),
                        r.getTraining().getBaselineLoss()));
            }

            @Override
            public void rejected(String reason) {
                println(out, "  trainer       " + reason);
            }
        };
    }

    private static void onAnomaly(PrintWriter out, AnomalyEvent e, Simulator simulator, List<AnomalyEvent> opened) {
        if (e.getKind() == EpisodeEventKind.OPENED) {
            opened.add(e);
        }
        String truth = "";
        if (e.getKind() == EpisodeEventKind.OPENED) {
            long t = e.getTimestamp().toEpochMilli();
            truth = simulator.injected().stream()
                    .filter(a -> a.series().equals(e.getSeries()) && t >= a.start() && t <= a.end() + 10 * 60_000L)
                    .map(a -> "  <- injected " + a.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .findFirst().orElse("  <- no injected anomaly here");
        }
        String line = e.getKind() == EpisodeEventKind.CLOSED
                ? String.format(Locale.ROOT, "  %-9s %-24s at %s  episode of %d anomalous readings, peak score %.2f, %s",
                        e.getKind(), e.getSeries(), EVENT_TIME.format(e.getTimestamp()), e.getEpisodeReadings(), e.getPeakScore(),
                        e.getSeverity())
                : String.format(Locale.ROOT, "  %-9s %-24s at %s  observed %9.2f, expected %9.2f [%.2f, %.2f], score %.2f, %-8s %-16s model v%d%s",
                        e.getKind(), e.getSeries(), EVENT_TIME.format(e.getTimestamp()), e.getObserved(), e.getExpected(),
                        e.getLower(), e.getUpper(), e.getScore(), e.getSeverity(),
                        e.getReason().name().toLowerCase(Locale.ROOT).replace('_', ' '), e.getModelVersion(), truth);
        println(out, line);
    }

    private static void sendBadRecord(SimulationFeed feed, String topic, int index) {
        switch (index % 3) {
            case 0 -> feed.producer().send(SimulationFeed.raw(topic, "sensor-bad", "not avro at all".getBytes(StandardCharsets.UTF_8)));
            case 1 -> feed.producer().send(SimulationFeed.raw(topic, "sensor-bad",
                    feed.encode(new Reading("sensor-bad", Instant.now().minusSeconds(7200), Double.NaN))));
            default -> feed.producer().send(SimulationFeed.raw(topic, null,
                    feed.encode(new Reading("sensor-bad", Instant.now().minusSeconds(7200), 1.0))));
        }
    }

    /** Waits (with a deadline) until the detector's committed offsets reach the end of the readings topic. */
    private static void awaitCaughtUp(SeismoConfig c, long produced, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(c.clientConfig())) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(c.cluster().applicationId()).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                for (TopicPartition tp : committed.keySet()) {
                    if (tp.topic().equals(c.topics().readings())) {
                        request.put(tp, OffsetSpec.latest());
                    }
                }
                if (!request.isEmpty()) {
                    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get();
                    long lag = 0;
                    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
                        lag += Math.max(0, e.getValue().offset() - committed.get(e.getKey()).offset());
                    }
                    if (lag == 0) {
                        Thread.sleep(1500); // let the alert tail read the last committed events
                        return;
                    }
                }
                Thread.sleep(250);
            }
        }
    }

    private static void summary(PrintWriter out, Simulator simulator, List<AnomalyEvent> opened, long produced, long deadLetters,
                                long modelVersion, long stepMillis) {
        List<Scorecard.Detection> detections = new ArrayList<>();
        synchronized (opened) {
            for (AnomalyEvent e : opened) {
                detections.add(new Scorecard.Detection(e.getSeries(), e.getEpisodeStart().toEpochMilli()));
            }
        }
        List<InjectedAnomaly> labels = simulator.injected();
        long lastTick = simulator.config().timestampOf(simulator.tick() - 1);
        Scorecard card = Scorecard.evaluate(labels, detections, 10 * stepMillis, lastTick - 10 * stepMillis);
        out.println();
        out.println("Summary");
        out.printf("  readings streamed     %,d%n", produced);
        out.printf("  dead letters          %d%n", deadLetters);
        out.printf("  model releases        %d%n", modelVersion);
        out.printf("  anomalies injected    %d, %d of them judged (those that started at least 10 simulated minutes before the end)%n",
                labels.size(), card.caught() + card.missed());
        out.printf("  episodes detected     %d%n", detections.size());
        out.println(card.format());
        out.flush();
    }

    private static void println(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

}
