package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.producer;
import static io.seismo.it.BrokerTestSupport.states;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;
import io.seismo.nn.CellType;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.ReleaseOrigin;
import io.seismo.schema.SeriesStateView;
import io.seismo.schema.TrainingInfo;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import io.seismo.train.ModelCatalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seismo models list} and {@code seismo models rollback} against a real in-process broker: both releases listed, a
 * rollback published as version 3 carrying version 1's weights and taken up live by a running detector, an unknown version
 * refused in one line.
 */
class ModelsCommandIT {
    private static final NetworkShape SHAPE = new NetworkShape(CellType.LSTM, 1, 8, 1);
    private static final int SERIES = 3;
    private static final long STEP = 60_000L;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @TempDir
    Path stateDir;

    private final BrokerTestSupport.Cli cli = new BrokerTestSupport.Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;
    private long tick;

    @Test
    void shouldListReleasesAndRollBackLiveToAnEarlierVersionStillOnTheTopic() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("state.dir", stateDir.toString());
        settings.put("application.id", "models-command-it");
        settings.put("commit.interval.ms", "100");
        settings.put("model.hidden.size", "8");
        settings.put("model.inputs", "value");
        settings.put("model.check.interval.ms", "200");
        SeismoConfig config = SeismoConfig.parse(settings);
        // A compaction lag keeps every release on the topic for the test, whatever the log cleaner does meanwhile.
        List<TopicSpec> topics = TopicPlan.of(config).stream()
                .map(t -> t.name().equals(config.topics().models()) ? t.withConfig(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "3600000") : t)
                .toList();
        TopicAdmin.ensureTopics(config.clientConfig(), topics, Duration.ofSeconds(30));

        ModelCatalog catalog = new ModelCatalog(config, Duration.ofSeconds(30));
        Network first = Network.initialise(SHAPE, 1);
        Network second = Network.initialise(SHAPE, 2);
        ModelRelease v1 = ModelReleases.toRelease("default", 1, 0, first, training(0.45, 0.76, 0), Instant.now());
        ModelRelease v2 = ModelReleases.toRelease("default", 2, 1, second, training(0.40, 0.77, 0.43), Instant.now());
        assertTrue(!v1.getWeights().equals(v2.getWeights()), "the two releases differ in their weights");
        catalog.publish(v1);
        catalog.publish(v2);

        DetectorApp detector = new DetectorApp(config);
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            detector.start();
            waitFor(Duration.ofSeconds(60), "every series is scored with version 2", () -> {
                produceTick(producer, config);
                return allScoredWith(detector, 2);
            });

            assertEquals(0, cli.run("models", "list", "--set", "bootstrap.servers=" + broker.bootstrapServers()), err.toString());
            String table = out.toString();
            assertTrue(table.lines().anyMatch(l -> l.matches("\\s*1\\s+-\\s+TRAINED\\s.*lstm 1x8 \\(1 layer\\).*")), table);
            assertTrue(table.lines().anyMatch(l -> l.matches("\\s*2\\s+1\\s+TRAINED\\s.*0\\.4000\\s+0\\.7700\\s+0\\.4300\\s.*")), table);
            assertTrue(!table.contains("no longer on topic"), table);

            out.getBuffer().setLength(0);
            assertEquals(0, cli.run("models", "list", "--json", "--set", "bootstrap.servers=" + broker.bootstrapServers()), err.toString());
            JsonNode json = new ObjectMapper().readTree(out.toString());
            assertEquals(2, json.get("releases").size());
            assertEquals(2, json.get("releases").get(1).get("version").asLong());

            out.getBuffer().setLength(0);
            assertEquals(0, cli.run("models", "rollback", "--to", "1", "--set", "bootstrap.servers=" + broker.bootstrapServers()),
                    err.toString());
            assertTrue(out.toString().startsWith("published release 3 of model 'default' (ROLLBACK of 1, parent 2)"), out.toString());

            ModelCatalog.Listing listing = catalog.read("default");
            assertEquals(List.of(1L, 2L, 3L), listing.versions());
            ModelRelease v3 = listing.find(3).orElseThrow();
            assertEquals(ReleaseOrigin.ROLLBACK, v3.getOrigin());
            assertEquals(1, v3.getSourceVersion());
            assertEquals(2, v3.getParentVersion());
            assertEquals(v1.getWeights(), v3.getWeights());
            assertEquals(v1.getTraining(), v3.getTraining());
            assertTrue(java.util.Arrays.equals(first.parameters(), ModelReleases.toNetwork(v3, SHAPE).parameters()),
                    "version 3 carries version 1's weights");

            waitFor(Duration.ofSeconds(60), "every series is scored with the rollback, version 3", () -> {
                produceTick(producer, config);
                return allScoredWith(detector, 3);
            });
        } finally {
            detector.close();
        }

        out.getBuffer().setLength(0);
        assertEquals(1, cli.run("models", "rollback", "--to", "9", "--set", "bootstrap.servers=" + broker.bootstrapServers()));
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("version 9 of model 'default' is not on topic 'models' (versions there: 1, 2, 3)"), message);
        assertEquals("", out.toString());
        assertEquals(List.of(1L, 2L, 3L), catalog.read("default").versions(), "nothing published on refusal");
    }


    private static TrainingInfo training(double validation, double baseline, double previous) {
        return TrainingInfo.newBuilder()
                .setSeries(SERIES)
                .setSamples(1200)
                .setEpochs(5)
                .setValidationLoss(validation)
                .setBaselineLoss(baseline)
                .setPreviousValidationLoss(previous)
                .setFromTime(Instant.now().minus(Duration.ofHours(2)))
                .setToTime(Instant.now().minus(Duration.ofHours(1)))
                .setDurationMillis(700)
                .build();
    }

    /** One reading of every series, a simulated minute after the previous one (event time well in the past). */
    private void produceTick(KafkaProducer<String, byte[]> producer, SeismoConfig config) {
        long timestamp = System.currentTimeMillis() - Duration.ofDays(1).toMillis() + tick * STEP;
        for (int s = 0; s < SERIES; s++) {
            String series = "series-" + s;
            double value = 10 * s + Math.sin(tick / 10.0);
            byte[] bytes = SeismoSerdes.READING.encode(new Reading(series, Instant.ofEpochMilli(timestamp), value));
            producer.send(new ProducerRecord<>(config.topics().readings(), null, timestamp, series, bytes));
        }
        producer.flush();
        tick++;
    }

    private static boolean allScoredWith(DetectorApp detector, long version) {
        Map<String, SeriesStateView> states = states(detector);
        return states.size() == SERIES && states.values().stream().allMatch(s -> s.getModelVersion() == version);
    }
}
