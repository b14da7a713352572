package io.seismo.demo;

import java.io.IOException;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

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

/**
 * The whole loop on one cluster, narrated: a simulator streams a few dozen series with injected, labelled anomalies;
 * the detector scores them live; the trainer trains the first model off the side topic and the detector swaps it in;
 * at the end, injected and detected anomalies are compared on the {@link Scorecard}. Ctrl-C ends the stream early with
 * the summary.
 */
public final class Demo {
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * What to stream.
     *
     * @param duration     how long to stream
     * @param durationText the duration as the user reads it, e.g. 90s
     * @param series       simulated series
     * @param rate         ticks per second; each tick is one reading of every series, one simulated minute
     * @param seed         the simulator's seed
     * @param badRecords   malformed records to slip into the stream, to show dead-lettering
     */
    public record Options(Duration duration, String durationText, int series, double rate, long seed, int badRecords) {
    }

    private final Platform platform;
    private final PrintWriter out;
    private volatile boolean interrupted;

    /** A demo on {@code platform}, narrated on {@code out}. */
    public Demo(Platform platform, PrintWriter out) {
        this.platform = platform;
        this.out = out;
    }

    /**
     * Runs the demo under {@code config}, whose broker and detector keep their data in {@code work}: made if missing and,
     * when {@code temporary}, removed at the end.
     */
    public void run(Path work, boolean temporary, SeismoConfig config, Options options) throws Exception {
        Files.createDirectories(work);

        long ticks = Math.max(1, (long) (options.duration().toMillis() / 1000.0 * options.rate()));
        SimConfig defaults = SimConfig.defaults(options.series(), options.seed());
        long step = defaults.stepMillis();
        SimConfig simConfig = new SimConfig(options.series(), options.seed(), SimulationFeed.startMillisFor(ticks, step), step,
                defaults.warmupSteps(), defaults.meanGapSteps());
        Simulator simulator = new Simulator(simConfig, true);

        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C ends the stream early; the hook holds the JVM until the summary is printed and everything is closed.
        Thread hook = new Thread(() -> {
            interrupted = true;
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seismo-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.printf("Seismo demo: %d simulated sensors, one reading per simulated minute, %.0f readings/s, for %s%n",
                options.series(), options.series() * options.rate(), options.durationText());
        out.println("Starting the embedded Kafka broker (KRaft, single node)...");
        out.flush();
        try {
            stream(config, simulator, ticks, options);
        } finally {
            if (temporary) {
                deleteQuietly(work);
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us.
            }
        }
    }

    private void stream(SeismoConfig config, Simulator simulator, long ticks, Options options) throws Exception {
        long began = System.nanoTime();
        List<AnomalyEvent> opened = Collections.synchronizedList(new ArrayList<>());
        AtomicLong deadLetters = new AtomicLong();
        AtomicReference<String> modelInForce = new AtomicReference<>("baseline forecaster (no model yet)");
        try (Platform.Connection cluster = platform.connect(config)) {
            SeismoConfig c = cluster.config();
            out.printf("Broker up at %s in %.1f s; topics: %s, %s, %s, %s, %s%n", c.cluster().bootstrapServers(),
                    (System.nanoTime() - began) / 1e9, c.topics().readings(), c.topics().anomalies(), c.topics().training(),
                    c.topics().models(), c.topics().deadLetter());
            out.printf("Detector: Kafka Streams app '%s', %s, state in RocksDB at %s%n", c.cluster().applicationId(),
                    c.cluster().processingGuarantee().spelling(), c.cluster().stateDir());
            out.flush();
            try (SeismoSerdes.External formats = SeismoSerdes.external(c.formats());
                 Platform.Api api = platform.serve(c);
                 DetectorApp detector = api.detector(c);
                 TrainerService trainer = new TrainerService(c, api.counting(trainerListener(modelInForce)),
                         formats.readings().deserializer());
                 TopicTail alerts = new TopicTail(c.clientConfig(), c.topics().anomalies(),
                         r -> onAnomaly(formats.anomalies().deserializer().deserialize(r.topic(), r.value()), simulator, opened));
                 TopicTail dead = new TopicTail(c.clientConfig(), c.topics().deadLetter(), r -> {
                     DeadLetter d = formats.deadLetters().deserializer().deserialize(r.topic(), r.value());
                     deadLetters.incrementAndGet();
                     println(String.format(Locale.ROOT, "  dead letter   %s: %s (from %s/%d@%d)", d.getReasonCode(),
                             d.getReason(), d.getSourceTopic(), d.getSourcePartition(), d.getSourceOffset()));
                 });
                 SimulationFeed feed = new SimulationFeed(simulator, c.clientConfig(), c.topics().readings(), formats.readings())) {
                if (api.url() != null) {
                    println("API and metrics: " + api.url() + " (try " + api.url() + "api/series and " + api.url() + "metrics)");
                    println("Dashboard: " + api.url());
                }
                detector.start();
                trainer.start();
                println("Streaming. Anomalies appear below as the detector opens, escalates and closes episodes.");
                long streamStart = System.nanoTime();
                long[] lastReport = {streamStart};
                long[] badSent = {0};
                int series = options.series();
                int badRecords = options.badRecords();
                feed.run(options.rate(), ticks, () -> interrupted, () -> {
                    long now = System.nanoTime();
                    if (badSent[0] < badRecords && feed.produced() > (badSent[0] + 1) * (series * ticks / (badRecords + 1))) {
                        sendBadRecord(feed, c.topics().readings(), (int) badSent[0]++);
                    }
                    if (now - lastReport[0] >= 5_000_000_000L) {
                        lastReport[0] = now;
                        println(String.format(Locale.ROOT,
                                "[%4.0fs] %,9d readings sent | %3d anomalies detected | %2d injected | model: %s | detector %s",
                                (now - streamStart) / 1e9, feed.produced(), opened.size(), simulator.injected().size(),
                                modelInForce.get(), detector.state()));
                    }
                });
                println("Stream ended; letting the detector catch up...");
                awaitCaughtUp(c, Duration.ofSeconds(30));
                summary(out, simulator, opened, feed.produced(), deadLetters.get(), trainer.latestVersion(), simulator.config().stepMillis());
            }
        }
    }

    private TrainerListener trainerListener(AtomicReference<String> modelInForce) {
        return new TrainerListener() {
            @Override
            public void trainingStarted(int seriesCount, long samples) {
                println(String.format(Locale.ROOT, "  trainer       training on %d series, %,d normal readings...", seriesCount, samples));
            }

            @Override
            public void released(ModelRelease r) {
                modelInForce.set(String.format(Locale.ROOT, "%s v%d", r.getCellType(), r.getVersion()));
                println(String.format(Locale.ROOT,
                        "  model         release %d published: %s %dx%d, %d epochs in %.1f s, validation MSE %.3f vs last-value %.3f",
                        r.getVersion(), r.getCellType(), r.getLayers(), r.getHiddenSize(), r.getTraining().getEpochs(),
                        r.getTraining().getDurationMillis() / 1000.0, r.getTraining().getValidationLoss(),
                        r.getTraining().getBaselineLoss()));
            }

            @Override
            public void rejected(String reason) {
                println("  trainer       " + reason);
            }
        };
    }

    private void onAnomaly(AnomalyEvent e, Simulator simulator, List<AnomalyEvent> opened) {
        if (e.getKind() == EpisodeEventKind.OPENED) {
            opened.add(e);
        }
        String truth = "";
        if (e.getKind() == EpisodeEventKind.OPENED) {
            Scorecard.Detection d = new Scorecard.Detection(e.getSeries(), e.getTimestamp().toEpochMilli());
            truth = Scorecard.labelOf(simulator.injected(), d, 10 * 60_000L)
                    .map(a -> "  <- injected " + a.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .orElse("  <- no injected anomaly here");
        }
        String line = e.getKind() == EpisodeEventKind.CLOSED
                ? String.format(Locale.ROOT, "  %-9s %-24s at %s  episode of %d anomalous readings, peak score %.2f, %s",
                        e.getKind(), e.getSeries(), EVENT_TIME.format(e.getTimestamp()), e.getEpisodeReadings(), e.getPeakScore(),
                        e.getSeverity())
                : String.format(Locale.ROOT, "  %-9s %-24s at %s  observed %9.2f, expected %9.2f [%.2f, %.2f], score %.2f, %-8s %-16s model v%d%s",
                        e.getKind(), e.getSeries(), EVENT_TIME.format(e.getTimestamp()), e.getObserved(), e.getExpected(),
                        e.getLower(), e.getUpper(), e.getScore(), e.getSeverity(),
                        e.getReason().name().toLowerCase(Locale.ROOT).replace('_', ' '), e.getModelVersion(), truth);
        println(line);
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
    private static void awaitCaughtUp(SeismoConfig c, Duration timeout) throws Exception {
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

    /**
     * The closing summary: counts, then the scorecard of the episodes opened (at their start) against the labels that
     * started at least ten steps before the last tick, with ten steps' tolerance.
     */
    static void summary(PrintWriter out, Simulator simulator, List<AnomalyEvent> opened, long produced, long deadLetters,
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

    private void println(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Deletes the temporary folder; best effort, a folder left behind is harmless. */
    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary directory left behind is not worth failing a finished demo for
        }
    }
}
