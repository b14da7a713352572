package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.produce;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.seismo.cli.AclPlan;
import io.seismo.config.SeismoConfig;
import io.seismo.kafka.ClusterAccess;
import io.seismo.kafka.EmbeddedKafka;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.sim.SimConfig;
import io.seismo.sim.Simulator;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import io.seismo.train.TrainerListener;
import io.seismo.train.TrainerService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seismo on a broker that authenticates with SASL/SCRAM and enforces ACLs (KRaft's StandardAuthorizer, nothing
 * allowed without an ACL): the pipeline works for a user holding exactly {@link AclPlan}'s ACLs, a wrong password stops
 * {@code seismo run} with one line (so does a mechanism the broker does not offer), a user without ACLs is told what
 * it lacks, and a detector refused its internal topics after start-up stops {@code run} instead of retrying.
 */
class SecuredClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(SecuredClusterIT.class);
    private static final long STEP = 60_000L;
    private static final String USER = "seismo";
    private static final String PASSWORD = "seismo-secret";
    private static final EmbeddedKafka.Security SECURITY = EmbeddedKafka.Security.scram("admin", "admin-secret");

    private static EmbeddedKafka broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startSecuredBroker() {
        broker = EmbeddedKafka.startTemporary(SECURITY);
        broker.createUser(USER, PASSWORD);
        broker.createUser("stranger", "stranger-secret");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Settings that log in as {@code user}, with the pipeline scaled down for a test. */
    private Map<String, String> settings(String user, String password) {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", broker.bootstrapServers());
        SECURITY.clientSettings(user, password).forEach((k, v) -> s.put("kafka." + k, v));
        s.put("state.dir", stateDir.toString());
        s.put("commit.interval.ms", "100");
        s.put("model.hidden.size", "8");
        s.put("model.inputs", "value");
        s.put("train.min.samples.per.series", "150");
        s.put("train.history", "400");
        s.put("train.interval.ms", "3000");
        s.put("train.min.new.samples", "500");
        s.put("train.epochs", "20");
        s.put("model.check.interval.ms", "200");
        return s;
    }

    @Test
    void shouldDetectTrainAndDeadLetterUnderOnlyTheListedAcls() throws Exception {
        SeismoConfig config = SeismoConfig.parse(settings(USER, PASSWORD));
        try (Admin admin = Admin.create(broker.adminConfig())) {
            admin.createAcls(AclPlan.of(config, "User:" + USER)).all().get(30, TimeUnit.SECONDS);
        }
        // What seismo run does before starting its services, as the restricted user.
        ClusterAccess.verify(config.clientConfig(), new ClusterAccess.Needs(
                TopicPlan.of(config).stream().map(TopicSpec::name).toList(),
                List.of(config.cluster().applicationId(), config.train().groupId()), config.cluster().applicationId()),
                Duration.ofSeconds(30));
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));

        int series = 6;
        int chunk = 300;
        int maxTicks = 3000;
        Simulator simulator = new Simulator(new SimConfig(series, 3, System.currentTimeMillis() - (maxTicks + 120L) * STEP, STEP, 300, 400));
        List<String> failures = new CopyOnWriteArrayList<>();
        TrainerService trainer = new TrainerService(config, new TrainerListener() {
            @Override
            public void failed(RuntimeException e) {
                failures.add("trainer: " + e);
            }
        });
        DetectorApp detector = new DetectorApp(config);
        detector.onFatalFailure(e -> failures.add("detector: " + e));
        try (KafkaProducer<String, byte[]> producer = BrokerTestSupport.producer(broker.adminConfig())) {
            detector.start();
            trainer.start();
            producer.send(new ProducerRecord<>(config.topics().readings(), "sensor-x", "not avro".getBytes(StandardCharsets.UTF_8)));
            // Enough readings for thresholds to settle and injected anomalies to follow (they start after 300 ticks).
            produce(producer, config.topics().readings(), simulator, 900);
            // Then more in chunks until the trainer publishes: each chunk gives it enough new values for another try.
            for (int ticks = 900; trainer.latestVersion() == 0 && ticks < maxTicks && failures.isEmpty(); ticks += chunk) {
                long trainings = trainer.stats().trainings();
                produce(producer, config.topics().readings(), simulator, chunk);
                waitFor(Duration.ofSeconds(60), "the trainer tries the new readings",
                        () -> trainer.stats().trainings() > trainings || trainer.latestVersion() > 0 || !failures.isEmpty());
            }
            waitFor(Duration.ofSeconds(30), "a model is trained and published by the restricted user",
                    () -> trainer.latestVersion() >= 1 || !failures.isEmpty());
            assertEquals(List.of(), failures);
            waitFor(Duration.ofSeconds(60), "the bad record is dead-lettered",
                    () -> BrokerTestSupport.readCommitted(broker.adminConfig(), config.topics().deadLetter()).size() == 1 || !failures.isEmpty());
            assertEquals(List.of(), failures);
            waitFor(Duration.ofSeconds(60), "an anomaly episode is opened and committed",
                    () -> openedEpisodes(config) > 0 || !failures.isEmpty());
            assertEquals(List.of(), failures);
        } finally {
            trainer.close();
            detector.close();
        }
        List<ConsumerRecord<String, byte[]>> dead = BrokerTestSupport.readCommitted(broker.adminConfig(), config.topics().deadLetter());
        DeadLetter letter = SeismoSerdes.DEAD_LETTER.decode(dead.get(0).value());
        assertEquals("UNDECODABLE", letter.getReasonCode().toString());
        assertTrue(openedEpisodes(config) > 0, "anomaly episodes are written under the restricted user");
    }

    private static long openedEpisodes(SeismoConfig config) {
        List<AnomalyEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : BrokerTestSupport.readCommitted(broker.adminConfig(), config.topics().anomalies())) {
            events.add(SeismoSerdes.ANOMALY.decode(r.value()));
        }
        return events.stream().filter(e -> e.getKind() == EpisodeEventKind.OPENED).count();
    }

    @Test
    void shouldStopWithOneLineOnAWrongPassword() throws Exception {
        Path out = Files.createTempFile(stateDir, "stdout", ".txt");
        Path err = Files.createTempFile(stateDir, "stderr", ".txt");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.seismo.schema,java.lang,java.util,java.math,java.time",
                // The launcher's logging, not the tests'.
                "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp", testClassPath(), "io.seismo.cli.SeismoCommand", "run"));
        settings(USER, "wrong-password").forEach((k, v) -> {
            command.add("--set");
            command.add(k + "=" + v);
        });
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("seismo run did not stop within 60 s on a wrong password; stderr: " + Files.readString(err));
            }
        } finally {
            process.destroyForcibly();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        List<String> lines = Files.readAllLines(err).stream().filter(l -> !l.isBlank()).toList();
        LOG.info("TIMING wrong password: exit {} after {} ms (JVM start included); stderr {}", process.exitValue(), millis, lines);
        assertEquals(1, process.exitValue(), "exit code; stderr " + lines);
        assertEquals(1, lines.size(), "exactly one line on stderr, got " + lines);
        String line = lines.get(0);
        assertTrue(line.startsWith("seismo: authentication failed for user 'seismo' at " + broker.bootstrapServers()), line);
        assertTrue(line.contains("kafka.sasl.jaas.config"), line);
    }

    @Test
    void shouldStopWithOneLineOnAMechanismTheBrokerDoesNotOffer() {
        Map<String, String> settings = settings(USER, PASSWORD);
        settings.put("kafka.sasl.mechanism", "SCRAM-SHA-256");
        String err = failsWithOneLine("wrong mechanism", settings, "run");
        assertTrue(err.startsWith("seismo: authentication failed for user 'seismo'"), err);
        assertTrue(err.contains("SCRAM-SHA-256"), err);
    }

    @Test
    void shouldNameWhatAUserWithoutAclsLacks() {
        String err = failsWithOneLine("no ACLs", settings("stranger", "stranger-secret"), "run");
        assertTrue(err.startsWith("seismo: user 'stranger' is not authorized at " + broker.bootstrapServers()), err);
        assertTrue(err.contains("topics anomalies, deadletter, feedback, models, readings, training"), err);
        assertTrue(err.contains("consumer groups seismo-detector, seismo-trainer"), err);
        assertTrue(err.contains("transactional ids seismo-detector*"), err);
    }

    @Test
    void shouldStopRunWhenKafkaStreamsIsRefusedItsInternalTopics() throws Exception {
        Map<String, String> settings = settings("partial", "partial-secret");
        settings.put("application.id", "partial-detector");
        settings.put("train.group.id", "partial-trainer");
        SeismoConfig config = SeismoConfig.parse(settings);
        broker.createUser("partial", "partial-secret");
        try (Admin admin = Admin.create(broker.adminConfig())) {
            // Everything but creating the internal topics, which no start-up check can see without creating them.
            admin.createAcls(AclPlan.of(config, "User:partial").stream()
                    .filter(b -> !(b.pattern().name().equals("partial-detector-") && b.entry().operation() == AclOperation.CREATE))
                    .toList()).all().get(30, TimeUnit.SECONDS);
        }
        String err = failsWithOneLine("internal topics refused", settings, "run", "--role", "detector");
        assertTrue(err.startsWith("seismo: the detector stopped: "), err);
        assertTrue(err.matches("(?s).*partial-detector-series-(state|counts)-changelog.*") && err.contains("Authorization failed"), err);
    }

    /**
     * Runs seismo in this JVM with {@code settings} as {@code --set} flags after {@code command}, and returns its stderr
     * once it has checked that the command stopped with exit code 1 and exactly one line.
     */
    private static String failsWithOneLine(String what, Map<String, String> settings, String... command) {
        BrokerTestSupport.Cli cli = new BrokerTestSupport.Cli();
        List<String> args = new ArrayList<>(List.of(command));
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        long t0 = System.nanoTime();
        int code = cli.run(args.toArray(String[]::new));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        String err = cli.err.toString().trim();
        LOG.info("TIMING {}: exit {} after {} ms; stderr {}", what, code, millis, err);
        assertEquals(1, code, err);
        assertEquals(1, err.lines().count(), err);
        return err;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The forked test JVM's class path (surefire and failsafe hand it over in a property). */
    private static String testClassPath() throws IOException {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
