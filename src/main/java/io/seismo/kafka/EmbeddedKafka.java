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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
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
 * <p>By default the client listener is PLAINTEXT with no authorization. {@link #startTemporary(Security)} and
 * {@link #start(Path, Security)} start it secured instead: the client listener is SASL_PLAINTEXT with SCRAM, ACLs
 * are enforced by KRaft's {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}, and the
 * admin user (a super user, whose SCRAM credential is written when the storage is formatted) is also the broker's
 * own identity between its listeners. The controller listener stays PLAINTEXT on localhost; its principal, {@code
 * User:ANONYMOUS}, is a super user so that the node can register with its own controller. Further users are added
 * with {@link #createUser(String, String)}; ACLs with the Admin client of {@link #adminConfig()}.
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
    private static final int SCRAM_ITERATIONS = 4096;

    /** The StandardAuthorizer of KRaft clusters. */
    public static final String AUTHORIZER_CLASS = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    /**
     * How a secured broker authenticates clients: SASL/SCRAM with {@code mechanism} ({@code SCRAM-SHA-512} or {@code
     * SCRAM-SHA-256}), and the super user that administers it.
     */
    public record Security(String mechanism, String adminUser, String adminPassword) {
        public Security {
            if (!mechanism.equals("SCRAM-SHA-512") && !mechanism.equals("SCRAM-SHA-256")) {
                throw new IllegalArgumentException("mechanism must be SCRAM-SHA-512 or SCRAM-SHA-256, got " + mechanism);
            }
            if (adminUser.isBlank() || adminUser.matches(".*[,=\\[\\]\"\\s].*") || adminPassword.isEmpty()
                    || adminPassword.matches(".*[,=\\[\\]\"].*")) {
                throw new IllegalArgumentException("admin user and password must be non-empty, without , = [ ] \" or spaces");
            }
        }

        /** SCRAM-SHA-512 with the given super user. */
        public static Security scram(String adminUser, String adminPassword) {
            return new Security("SCRAM-SHA-512", adminUser, adminPassword);
        }

        /** The client settings (security.protocol, sasl.mechanism, sasl.jaas.config) that log in as {@code user}. */
        public Map<String, String> clientSettings(String user, String password) {
            return EmbeddedKafka.saslClientSettings(mechanism, user, password);
        }
    }

    private final Path dataDir;
    private final boolean temporary;
    private final Security security;
    private KafkaRaftServer server;
    private int brokerPort;
    private int controllerPort;
    private boolean closed;
    private Thread shutdownHook;
    private Duration lastStartDuration = Duration.ZERO;

    private EmbeddedKafka(Path dataDir, boolean temporary, Security security) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.security = security;
    }

    /**
     * Starts a broker on a persistent directory (created if missing). Existing data is kept; the
     * directory is formatted only if it holds no {@code logs/meta.properties}.
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, null);
    }

    /**
     * Starts a broker on a persistent directory, secured as {@code security} says (null: PLAINTEXT). The admin's
     * SCRAM credential is written only when the directory is formatted; restart a secured directory secured.
     */
    public static EmbeddedKafka start(Path dataDir, Security security) {
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir.toAbsolutePath(), false, security);
        kafka.startServer(false);
        return kafka;
    }

    /** Starts a broker on a fresh temporary directory that {@link #close()} deletes. */
    public static EmbeddedKafka startTemporary() {
        return startTemporary(null);
    }

    /** Starts a broker, secured as {@code security} says (null: PLAINTEXT), on a fresh temporary directory. */
    public static EmbeddedKafka startTemporary(Security security) {
        Path dir;
        try {
            dir = Files.createTempDirectory("seismo-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create temporary directory", e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(dir, true, security);
        try {
            kafka.startServer(false);
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
        return kafka;
    }

    /** {@code localhost:<port>} of the client listener (PLAINTEXT, or SASL_PLAINTEXT when secured) of the current run. */
    public synchronized String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("broker is not running");
        }
        return "localhost:" + brokerPort;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /** How the broker is secured; null when its client listener is PLAINTEXT. */
    public Security security() {
        return security;
    }

    /**
     * Settings for an Admin client of the current run with full rights: the bootstrap servers, and when secured the
     * super user's credentials.
     */
    public synchronized Map<String, Object> adminConfig() {
        Map<String, Object> c = new HashMap<>(ClientConfigs.admin(bootstrapServers()));
        if (security != null) {
            c.putAll(security.clientSettings(security.adminUser(), security.adminPassword()));
        }
        return c;
    }

    /**
     * The client settings that log in with SASL over PLAINTEXT as {@code user}: {@code security.protocol}, {@code
     * sasl.mechanism} and {@code sasl.jaas.config} for SCRAM.
     */
    public static Map<String, String> saslClientSettings(String mechanism, String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, mechanism,
                SaslConfigs.SASL_JAAS_CONFIG, scramJaas(user, password));
    }

    /**
     * Creates (or changes the password of) a SCRAM user on a secured broker. The user has no rights until ACLs grant
     * them.
     *
     * @throws IllegalStateException when the broker is not secured or the change fails
     */
    public void createUser(String user, String password) {
        if (security == null) {
            throw new IllegalStateException("the broker is not secured: it has no users");
        }
        ScramMechanism mechanism = ScramMechanism.fromMechanismName(security.mechanism());
        try (Admin admin = Admin.create(adminConfig())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                            new ScramCredentialInfo(mechanism, SCRAM_ITERATIONS), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create user '" + user + "': " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create user '" + user + "': timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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
        return "EmbeddedKafka[" + dataDir + (security == null ? "" : ", " + security.mechanism())
                + (server == null ? ", stopped]" : ", localhost:" + brokerPort + "]");
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

    /**
     * The broker's server.properties. Kafka's own broker property names, written as a server.properties file has them:
     * their constants (ServerLogConfigs, KRaftConfigs, ...) live in Kafka modules this build has at run time only.
     */
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
        if (security != null) {
            String mechanism = security.mechanism();
            p.setProperty("listeners", "SASL_PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
            p.setProperty("advertised.listeners", "SASL_PLAINTEXT://localhost:" + brokerPort);
            p.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
            p.setProperty("sasl.enabled.mechanisms", mechanism);
            p.setProperty("sasl.mechanism.inter.broker.protocol", mechanism);
            // The broker's own connections to its SASL listener (transaction markers) log in as the admin.
            p.setProperty("listener.name.sasl_plaintext." + mechanism.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    scramJaas(security.adminUser(), security.adminPassword()));
            p.setProperty("authorizer.class.name", AUTHORIZER_CLASS);
            p.setProperty("allow.everyone.if.no.acl.found", "false");
            // ANONYMOUS is the node itself on the PLAINTEXT controller listener (broker registration, heartbeats).
            p.setProperty("super.users", "User:" + security.adminUser() + ";User:ANONYMOUS");
        }
        return p;
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user.replace("\\", "\\\\").replace("\"", "\\\"") + "\" password=\""
                + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\";";
    }

    private static void writeProperties(Properties props, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "Generated by EmbeddedKafka; rewritten on every start");
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
        List<String> args = new ArrayList<>(List.of("format", "--standalone", "-t", clusterId, "-c", propsFile.toString()));
        if (security != null) {
            // The admin's credential must exist before the broker first connects to its own SASL listener.
            args.add("--add-scram");
            args.add(security.mechanism() + "=[name=" + security.adminUser() + ",password=" + security.adminPassword()
                    + ",iterations=" + SCRAM_ITERATIONS + "]");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args.toArray(String[]::new), ps);
        }
        String text = output.toString(StandardCharsets.UTF_8).trim();
        if (rc != 0) {
            throw new IllegalStateException("formatting " + logDir + " failed (exit " + rc + "): " + text);
        }
        LOG.debug("Formatted {} with cluster id {}: {}", logDir, clusterId, text);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> config = adminConfig();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
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
