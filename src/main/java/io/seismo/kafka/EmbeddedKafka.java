package io.seismo.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (combined broker and KRaft controller, node id 1) running inside this
 * JVM.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
 *   TopicAdmin.ensureTopics(ClientConfigs.admin(kafka.bootstrapServers()),
 *       List.of(TopicSpec.of("readings", 4)), Duration.ofSeconds(30));
 *   // produce / consume / run Kafka Streams against kafka.bootstrapServers()
 * }
 * }</pre>
 *
 * <p>The data directory holds the generated {@code server.properties} and the log directory {@code
 * logs/}. Storage is formatted only when {@code logs/meta.properties} is missing, so a directory
 * passed to {@link #start(Path)} survives restarts of the broker and of the JVM with its topics,
 * records and committed offsets.
 *
 * <p>Ports are picked free on every start. {@link #restart()} first tries to reuse the previous
 * ports and falls back to new ones if they are taken, so re-read {@link #bootstrapServers()} after
 * a restart. The broker is sized for a laptop: records up to 8 MiB ({@link #MAX_RECORD_BYTES}), 16
 * MiB segments, small internal topics, replication factor 1 everywhere.
 *
 * <p>{@link #start(Path)} and {@link #restart()} return only once the broker answers {@code
 * describeCluster}. {@link #stop()} and {@link #close()} are idempotent and thread-safe, so close
 * may also be called from a shutdown hook. This class never prints; the broker logs through
 * slf4j/log4j2 under its own logger names.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Largest record value the broker and {@link ClientConfigs} accept comfortably. */
    public static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;

    /** Broker {@code message.max.bytes}: an 8 MiB record plus batch and header overhead. */
    public static final int MAX_MESSAGE_BYTES = MAX_RECORD_BYTES + 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int PORT_ATTEMPTS = 3;

    private final Path dataDir;
    private final boolean temporary;
    private KafkaRaftServer server;
    private int brokerPort;
    private int controllerPort;
    private boolean closed;
    private Thread shutdownHook;
    private Duration lastStartDuration = Duration.ZERO;

    private EmbeddedKafka(Path dataDir, boolean temporary) {
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * Starts a broker on a persistent directory (created if missing). Existing data is kept; the
     * directory is formatted only if it holds no {@code logs/meta.properties}.
     */
    public static EmbeddedKafka start(Path dataDir) {
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir.toAbsolutePath(), false);
        kafka.startServer(false);
        return kafka;
    }

    /** Starts a broker on a fresh temporary directory that {@link #close()} deletes. */
    public static EmbeddedKafka startTemporary() {
        Path dir;
        try {
            dir = Files.createTempDirectory("seismo-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create temporary directory", e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(dir, true);
        try {
            kafka.startServer(false);
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
        return kafka;
    }

    /** {@code localhost:<port>} of the PLAINTEXT listener of the current run. */
    public synchronized String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("broker is not running");
        }
        return "localhost:" + brokerPort;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /** True between a successful start and the next stop. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** How long the last start or restart took until the broker answered requests. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    /**
     * Stops the broker and waits for its shutdown; the data directory is kept. Does nothing if it is
     * already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        long t0 = System.nanoTime();
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker in {} did not shut down cleanly", dataDir, e);
        }
        LOG.info("Kafka broker stopped in {} ms", elapsedMillis(t0));
    }

    /**
     * Stops the broker (if running) and starts it again on the same data directory, keeping topics
     * and records. The previous ports are reused if still free, otherwise new ones are taken: always
     * re-read {@link #bootstrapServers()} afterwards.
     *
     * @return this
     */
    public synchronized EmbeddedKafka restart() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        stop();
        startServer(true);
        return this;
    }

    /**
     * Registers a JVM shutdown hook that calls {@link #close()}, so that the broker shuts down
     * cleanly (and a temporary directory is deleted) on Ctrl-C. The hook is removed again by an
     * explicit {@link #close()}.
     *
     * @return this
     */
    public synchronized EmbeddedKafka closeOnShutdown() {
        if (shutdownHook == null && !closed) {
            shutdownHook = new Thread(this::close, "seismo-embedded-kafka-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return this;
    }

    /** Stops the broker and, if temporary, deletes its directory. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to run; close() is idempotent
            }
        }
        shutdownHook = null;
        stop();
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + dataDir + (server == null ? ", stopped]" : ", localhost:" + brokerPort + "]");
    }

    // ---------------------------------------------------------------------------------------------

    private synchronized void startServer(boolean tryPreviousPorts) {
        long t0 = System.nanoTime();
        Path logDir = dataDir.resolve("logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
        RuntimeException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            boolean reuse = attempt == 0 && tryPreviousPorts && isFree(brokerPort) && isFree(controllerPort);
            if (!reuse) {
                int[] ports = freePorts(2);
                brokerPort = ports[0];
                controllerPort = ports[1];
            }
            Properties props = serverProperties(logDir);
            Path propsFile = dataDir.resolve("server.properties");
            writeProperties(props, propsFile);
            formatIfNeeded(logDir, propsFile);
            KafkaRaftServer candidate = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            try {
                candidate.startup();
                server = candidate;
                awaitReady();
                lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
                LOG.info(
                        "Kafka broker ready at {} in {} ms (data {})",
                        bootstrapServers(),
                        lastStartDuration.toMillis(),
                        dataDir);
                return;
            } catch (RuntimeException e) {
                last = e;
                server = null;
                LOG.warn("Kafka broker start attempt {} failed, retrying on new ports", attempt + 1, e);
                try {
                    candidate.shutdown();
                    candidate.awaitShutdown();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
        }
        throw new IllegalStateException("Kafka broker did not start in " + dataDir, last);
    }

    private Properties serverProperties(Path logDir) {
        Properties p = new Properties();
        Map<String, Object> settings =
                Map.ofEntries(
                        Map.entry("process.roles", "broker,controller"),
                        Map.entry("node.id", "1"),
                        Map.entry(
                                "listeners",
                                "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort),
                        Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort),
                        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                        Map.entry("controller.listener.names", "CONTROLLER"),
                        Map.entry("controller.quorum.bootstrap.servers", "localhost:" + controllerPort),
                        Map.entry("log.dirs", logDir.toString()),
                        // Single node: replication factor 1 and min.isr 1 for every internal topic.
                        Map.entry("default.replication.factor", 1),
                        Map.entry("min.insync.replicas", 1),
                        Map.entry("offsets.topic.replication.factor", 1),
                        Map.entry("offsets.topic.num.partitions", 4),
                        Map.entry("transaction.state.log.replication.factor", 1),
                        Map.entry("transaction.state.log.min.isr", 1),
                        Map.entry("transaction.state.log.num.partitions", 4),
                        Map.entry("share.coordinator.state.topic.replication.factor", 1),
                        Map.entry("share.coordinator.state.topic.min.isr", 1),
                        Map.entry("group.initial.rebalance.delay.ms", 0),
                        Map.entry("auto.create.topics.enable", false),
                        Map.entry("num.partitions", 1),
                        // Records up to 8 MiB.
                        Map.entry("message.max.bytes", MAX_MESSAGE_BYTES),
                        Map.entry("replica.fetch.max.bytes", MAX_MESSAGE_BYTES),
                        // Laptop sizing.
                        Map.entry("log.segment.bytes", 16 * 1024 * 1024),
                        Map.entry("offsets.topic.segment.bytes", 16 * 1024 * 1024),
                        Map.entry("transaction.state.log.segment.bytes", 16 * 1024 * 1024),
                        Map.entry("log.cleaner.dedupe.buffer.size", 16 * 1024 * 1024),
                        Map.entry("log.cleaner.threads", 1),
                        Map.entry("num.network.threads", 2),
                        Map.entry("num.io.threads", 4),
                        Map.entry("background.threads", 4),
                        Map.entry("num.recovery.threads.per.data.dir", 1),
                        Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", 10_000),
                        Map.entry("transaction.remove.expired.transaction.cleanup.interval.ms", 60_000),
                        Map.entry("delete.topic.enable", true));
        settings.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        return p;
    }

    private static void writeProperties(Properties props, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "Generated by io.seismo.kafka.EmbeddedKafka; rewritten on every start");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void formatIfNeeded(Path logDir, Path propsFile) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            LOG.debug("{} is already formatted", logDir);
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc =
                    StorageTool.execute(
                            new String[] {"format", "--standalone", "-t", clusterId, "-c", propsFile.toString()},
                            ps);
        }
        String text = output.toString(StandardCharsets.UTF_8).trim();
        if (rc != 0) {
            throw new IllegalStateException("formatting " + logDir + " failed (exit " + rc + "): " + text);
        }
        LOG.debug("Formatted {} with cluster id {}: {}", logDir, clusterId, text);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> config =
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + brokerPort,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    int nodes =
                            admin
                                    .describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                                    .nodes()
                                    .get(10, TimeUnit.SECONDS)
                                    .size();
                    if (nodes > 0) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.debug("broker not ready yet: {}", e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Kafka broker did not answer within " + READY_TIMEOUT.toSeconds() + " s");
                }
                sleepQuietly(100);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean isFree(int port) {
        if (port <= 0) {
            return false;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Distinct free ports, found by binding port 0 (a small race with other processes remains). */
    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    private static long elapsedMillis(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
