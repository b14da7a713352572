package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.produce;
import static io.seismo.it.BrokerTestSupport.producer;
import static io.seismo.it.BrokerTestSupport.states;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.it.BrokerTestSupport.RecordingTrainerListener;
import io.seismo.kafka.TopicAdmin;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.SeriesStateView;
import io.seismo.sim.SimConfig;
import io.seismo.sim.Simulator;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import io.seismo.train.TrainerListener;
import io.seismo.train.TrainerService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's pipeline on a real in-process KRaft broker under exactly-once: readings in, alerts out (read_committed),
 * the first model trained off the side topic and swapped in, and the state surviving restarts of the application.
 */
class PipelineIT {
    private static final int SERIES = 6;
    private static final long STEP = 60_000L;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @TempDir
    Path stateDir;

    @Test
    void shouldDetectTrainSwapAndKeepStateAcrossRestarts() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("state.dir", stateDir.toString());
        settings.put("application.id", "pipeline-it");
        settings.put("processing.guarantee", "exactly_once_v2");
        settings.put("commit.interval.ms", "100");
        settings.put("model.hidden.size", "8");
        settings.put("train.min.samples.per.series", "150");
        settings.put("train.history", "400");
        settings.put("train.interval.ms", "3000");
        settings.put("train.min.new.samples", "500");
        settings.put("train.epochs", "20");
        settings.put("model.check.interval.ms", "200");
        SeismoConfig config = SeismoConfig.parse(settings);
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));

        // Event time ends an hour before now: brokers refuse timestamps far in the future.
        int ticks = 1800;
        SimConfig simConfig = new SimConfig(SERIES, 3, System.currentTimeMillis() - (ticks + 120L) * STEP, STEP, 300, 400);
        Simulator simulator = new Simulator(simConfig);
        RecordingTrainerListener recorder = new RecordingTrainerListener();
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            TrainerService trainer = new TrainerService(config, recorder);
            DetectorApp detector = new DetectorApp(config);
            try {
                detector.start();
                trainer.start();
                produce(producer, config.topics().readings(), simulator, 900);
                waitFor(Duration.ofSeconds(90), "a first model is trained and published", () -> trainer.latestVersion() >= 1);
                waitFor(Duration.ofSeconds(60), "every series is processed", () -> totalReadings(detector) == (long) SERIES * 900);
                produce(producer, config.topics().readings(), simulator, 300);
                waitFor(Duration.ofSeconds(60), "the new model is in force for every series", () -> {
                    Map<String, SeriesStateView> states = states(detector);
                    return states.size() == SERIES && states.values().stream().allMatch(s -> s.getModelVersion() >= 1);
                });
            } finally {
                trainer.close();
                detector.close();
            }
            ModelRelease first = recorder.releases().get(0);
            assertEquals(1, first.getVersion());
            long published = trainer.latestVersion();

            // A trainer whose gate asks for a 50% improvement over the model in force publishes nothing.
            SeismoConfig strictConfig = config.with(Map.of("train.group.id", "pipeline-it-strict", "train.validation.margin", "0.5"));
            RecordingTrainerListener strictRecorder = new RecordingTrainerListener();
            TrainerService strict = new TrainerService(strictConfig, strictRecorder);
            try {
                strict.start();
                waitFor(Duration.ofSeconds(60), "the strict trainer refuses a candidate", () -> strict.stats().rejections() >= 1);
            } finally {
                strict.close();
            }
            assertEquals(0, strict.stats().releases());
            assertEquals(published, strict.latestVersion(), "it continued from the latest release and added none");
            String refusal = strictRecorder.refusals().get(0);
            assertTrue(refusal.contains("not 50% below the model in force"), refusal);
            assertTrue(first.getTraining().getValidationLoss() < first.getTraining().getBaselineLoss(),
                    "a published model beats the last-value forecaster");

            // Restart on the same state directory: the state carries on where it stopped.
            long before = (long) SERIES * 1200;
            DetectorApp restarted = new DetectorApp(config);
            try {
                restarted.start();
                produce(producer, config.topics().readings(), simulator, 300);
                waitFor(Duration.ofSeconds(60), "the restarted detector continues the stored state",
                        () -> totalReadings(restarted) == before + SERIES * 300L);
            } finally {
                restarted.close();
            }

            // Wipe the local state: it is restored from the changelog.
            restarted.streams().cleanUp();
            DetectorApp restored = new DetectorApp(config);
            try {
                restored.start();
                produce(producer, config.topics().readings(), simulator, 300);
                waitFor(Duration.ofSeconds(90), "the state is restored from the changelog and continues",
                        () -> totalReadings(restored) == before + SERIES * 600L);
                Map<String, SeriesStateView> states = states(restored);
                assertTrue(states.values().stream().allMatch(s -> s.getModelVersion() >= 1), "model version survives the restore");
            } finally {
                restored.close();
            }
        }

        List<AnomalyEvent> events = readAnomalies(config);
        long opened = events.stream().filter(e -> e.getKind() == EpisodeEventKind.OPENED).count();
        assertTrue(opened >= 1, "alerts are readable with read_committed, got " + events.size());
        assertTrue(events.stream().allMatch(e -> e.getScore() >= 0 && e.getScore() <= 1));
        assertTrue(events.stream().anyMatch(e -> e.getModelVersion() >= 1) || opened > 0);
        assertTrue(simulator.injected().size() > 0, "the simulator injected anomalies");
    }

    @Test
    void shouldTrainTheFirstModelFromHistoryOnAColdStart() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        for (String topic : new String[] {"readings", "anomalies", "training", "models", "deadletter", "feedback"}) {
            settings.put("topic." + topic, "cold-" + topic);
        }
        settings.put("model.hidden.size", "8");
        settings.put("train.min.samples.per.series", "150");
        settings.put("train.history", "400");
        settings.put("train.epochs", "20");
        settings.put("train.cold.start.history.ms", Long.toString(Duration.ofDays(30).toMillis()));
        SeismoConfig config = SeismoConfig.parse(settings);
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
        Simulator simulator = new Simulator(new SimConfig(4, 5, System.currentTimeMillis() - 600L * STEP, STEP, 300, 400));
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            produce(producer, config.topics().readings(), simulator, 400);
        }
        TrainerService trainer = new TrainerService(config, TrainerListener.NONE);
        try {
            trainer.start();
            waitFor(Duration.ofSeconds(60), "a first model is trained from the readings history", () -> trainer.latestVersion() >= 1);
        } finally {
            trainer.close();
        }
        assertEquals(1, trainer.stats().releases(), "trained although nothing ever reached the training topic");
    }

    @Test
    void shouldPublishIdenticalReleasesInTwoEventTimeRunsOverTheSameData() throws Exception {
        int ticks = 1200;
        List<List<ModelRelease>> runs = new ArrayList<>();
        for (String run : new String[] {"a", "b"}) {
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", broker.bootstrapServers());
            for (String topic : new String[] {"readings", "anomalies", "training", "deadletter", "feedback"}) {
                settings.put("topic." + topic, "event-" + topic);
            }
            settings.put("topic.models", "event-models-" + run);
            settings.put("topic.partitions", "1");
            settings.put("train.group.id", "event-trainer-" + run);
            settings.put("train.clock", "event");
            settings.put("train.interval.ms", Long.toString(200 * STEP));
            settings.put("train.min.new.samples", "300");
            settings.put("train.min.samples.per.series", "150");
            settings.put("train.history", "400");
            settings.put("train.epochs", "5");
            settings.put("train.validation.margin", "0");
            settings.put("model.hidden.size", "8");
            settings.put("model.inputs", "value");
            SeismoConfig config = SeismoConfig.parse(settings);
            TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(30));
            if (runs.isEmpty()) {
                Simulator simulator = new Simulator(new SimConfig(3, 8, System.currentTimeMillis() - (ticks + 120L) * STEP, STEP, 300, 400));
                try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
                    produce(producer, config.topics().training(), simulator, ticks);
                }
            }
            RecordingTrainerListener recorder = new RecordingTrainerListener();
            TrainerService trainer = new TrainerService(config, recorder);
            try {
                trainer.start();
                waitFor(Duration.ofSeconds(120), "the trainer has read every reading", () -> trainer.stats().consumedRecords() == 3L * ticks);
            } finally {
                trainer.close();
            }
            runs.add(recorder.releases());
        }
        List<ModelRelease> a = runs.get(0);
        List<ModelRelease> b = runs.get(1);
        assertTrue(a.size() >= 3, "several releases over the event-time run, got " + a.size());
        assertEquals(a.size(), b.size(), "the same number of releases");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getVersion(), b.get(i).getVersion());
            assertEquals(a.get(i).getParentVersion(), b.get(i).getParentVersion());
            assertEquals(a.get(i).getTraining().getFromTime(), b.get(i).getTraining().getFromTime());
            assertEquals(a.get(i).getTraining().getToTime(), b.get(i).getTraining().getToTime());
            assertEquals(a.get(i).getTraining().getSamples(), b.get(i).getTraining().getSamples());
            assertEquals(a.get(i).getWeights(), b.get(i).getWeights(), "release " + a.get(i).getVersion() + " has the same weights");
        }
    }


    private static long totalReadings(DetectorApp detector) {
        return states(detector).values().stream().mapToLong(SeriesStateView::getReadings).sum();
    }

    private static List<AnomalyEvent> readAnomalies(SeismoConfig config) {
        Map<String, Object> props = new HashMap<>(config.clientConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<AnomalyEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(config.topics().anomalies()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read the anomalies topic to its end");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(SeismoSerdes.ANOMALY.decode(r.value()));
                }
            }
        }
        return events;
    }
}
