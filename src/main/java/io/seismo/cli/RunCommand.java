package io.seismo.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.train.TrainerListener;
import io.seismo.train.TrainerService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seismo run}: the detector and/or the trainer against a cluster, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo run --config config/production.properties --role detector", "  SEISMO_BOOTSTRAP_SERVERS=kafka:9092 seismo run --role all --set http.port=8081"},
        description = "Runs the detector and/or the trainer against the configured cluster until stopped (Ctrl-C).")
public final class RunCommand extends PrintingCommand {

    /** Which services this process runs. */
    enum Role { detector, trainer, all }

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--role", defaultValue = "all", description = "detector, trainer or all (default: ${DEFAULT-VALUE}).")
    Role role;


    @Override
    Integer call(PrintWriter out) throws InterruptedException {
        SeismoConfig config = configOptions.load();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // The JVM only waits for shutdown hooks, so the hook waits until the services have closed cleanly.
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seismo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<String> groups = new ArrayList<>();
        if (role != Role.trainer) {
            groups.add(config.cluster().applicationId());
        }
        if (role != Role.detector) {
            groups.add(config.train().groupId());
        }
        boolean transactional = role != Role.trainer && config.cluster().exactlyOnce();
        AtomicReference<String> failure = new AtomicReference<>();
        try (Cluster cluster = Cluster.connect(config, false, groups, transactional)) {
            SeismoConfig c = cluster.config();
            String services = switch (role) {
                case detector -> "detector";
                case trainer -> "trainer";
                case all -> "detector and trainer";
            };
            out.printf("seismo: %s running on %s%s; Ctrl-C stops%n", services, c.cluster().bootstrapServers(),
                    cluster.embedded() ? " (embedded broker, data in " + c.cluster().embeddedDataDir() + ")" : "");
            out.flush();
            // The HTTP server starts first: the detector advertises its address to the other instances.
            HttpApi api = role == Role.trainer ? null : HttpApi.start(c);
            if (api != null && api.url() != null) {
                out.printf("API and metrics: %s%n", api.url());
                out.flush();
            }
            TrainerListener listener = new TrainerListener() {
                @Override
                public void released(ModelRelease release) {
                    out.printf("model '%s' release %d published%n", release.getModelName(), release.getVersion());
                    out.flush();
                }

                @Override
                public void failed(RuntimeException e) {
                    failure.compareAndSet(null, "the trainer stopped: " + e.getMessage());
                    stop.countDown();
                }
            };
            DetectorApp detector = null;
            TrainerService trainer = null;
            SeismoSerdes.External formats = SeismoSerdes.external(c.formats());
            try {
                detector = api == null ? null : api.detector(c);
                if (detector != null) {
                    detector.onFatalFailure(e -> {
                        failure.compareAndSet(null, "the detector stopped: " + e.getMessage());
                        stop.countDown();
                    });
                }
                trainer = role == Role.detector ? null : new TrainerService(c, api == null ? listener : api.counting(listener),
                        formats.readings().deserializer());
                if (detector != null) {
                    detector.start();
                }
                if (trainer != null) {
                    trainer.start();
                }
                stop.await();
            } finally {
                if (trainer != null) {
                    trainer.close();
                }
                if (detector != null) {
                    detector.close();
                }
                if (api != null) {
                    api.close();
                }
                formats.close();
            }
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already shutting down; the hook has run.
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return 0;
    }
}
