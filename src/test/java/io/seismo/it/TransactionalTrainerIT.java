package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.produce;
import static io.seismo.it.BrokerTestSupport.producer;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.ReleaseOrigin;
import io.seismo.sim.SimConfig;
import io.seismo.sim.Simulator;
import io.seismo.stream.TopicPlan;
import io.seismo.train.ModelCatalog;
import io.seismo.train.TrainerListener;
import io.seismo.train.TrainerService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transactional trainer on a real in-process broker: two trainers of one group and repeated rollbacks racing never
 * publish a version twice, and a trainer killed between training and publishing loses none of the training data.
 */
class TransactionalTrainerIT {
    private static final long STEP = 60_000L;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    /** Settings of a small, quick trainer on topics of its own ({@code prefix}-...). */
    private static Map<String, String> settings(String prefix) {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", broker.bootstrapServers());
        for (String topic : new String[] {"readings", "anomalies", "training", "models", "deadletter", "feedback"}) {
            s.put("topic." + topic, prefix + "-" + topic);
        }
        s.put("topic.partitions", "1");
        s.put("train.group.id", prefix + "-trainer");
        s.put("model.hidden.size", "8");
        s.put("model.inputs", "value");
        s.put("train.history", "200");
        s.put("train.min.samples.per.series", "100");
        s.put("train.epochs", "3");
        s.put("train.validation.margin", "0");
        return s;
    }

    private static SeismoConfig createTopics(Map<String, String> settings) {
        SeismoConfig config = SeismoConfig.parse(settings);
        // A compaction lag keeps every release on the topic for the test, whatever the log cleaner does meanwhile.
        List<TopicSpec> topics = TopicPlan.of(config).stream()
                .map(t -> t.name().equals(config.topics().models()) ? t.withConfig(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "3600000") : t)
                .toList();
        TopicAdmin.ensureTopics(config.clientConfig(), topics, Duration.ofSeconds(30));
        return config;
    }

    @Test
    void shouldNeverPublishAVersionTwiceWhenTwoTrainersAndRollbacksRace() throws Exception {
        Map<String, String> s = settings("race");
        s.put("train.interval.ms", "100");
        s.put("train.min.new.samples", "60");
        SeismoConfig config = createTopics(s);
        // Release 1, for the rollbacks to go back to.
        new ModelCatalog(config, Duration.ofSeconds(30)).publish(ModelReleases.untrained(config, 7, Instant.now()));

        BrokerTestSupport.RecordingTrainerListener a = new BrokerTestSupport.RecordingTrainerListener();
        BrokerTestSupport.RecordingTrainerListener b = new BrokerTestSupport.RecordingTrainerListener();
        List<String> takenOver = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        TrainerService first = new TrainerService(config, listening(a, takenOver, failures, "a"));
        TrainerService second = new TrainerService(config, listening(b, takenOver, failures, "b"));
        AtomicBoolean feeding = new AtomicBoolean(true);
        AtomicInteger rollbacks = new AtomicInteger();
        AtomicInteger rollbacksRefused = new AtomicInteger();
        List<String> rollbackErrors = new CopyOnWriteArrayList<>();
        Simulator simulator = new Simulator(new SimConfig(3, 11, System.currentTimeMillis() - 20_000L * STEP, STEP, 300, 400));
        Thread feeder = new Thread(() -> {
            try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
                for (int ticks = 0; feeding.get() && ticks < 15_000; ticks += 40) {
                    produce(producer, config.topics().training(), simulator, 40);
                    Thread.sleep(100); // pacing the feed, not waiting for an outcome
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "race-feeder");
        // Rollbacks to release 1, back to back, through the same transactional id as the trainers.
        Thread rollbacker = new Thread(() -> {
            BrokerTestSupport.Cli cli = new BrokerTestSupport.Cli();
            for (int i = 0; i < 6; i++) {
                int code = cli.run("models", "rollback", "--to", "1", "--set", "bootstrap.servers=" + broker.bootstrapServers(),
                        "--set", "train.group.id=" + config.train().groupId(), "--set", "topic.models=" + config.topics().models(),
                        "--set", "model.inputs=value", "--set", "model.hidden.size=8");
                if (code == 0) {
                    rollbacks.incrementAndGet();
                } else {
                    rollbacksRefused.incrementAndGet();
                    rollbackErrors.add(cli.err.toString().trim());
                }
            }
        }, "race-rollbacks");
        try {
            feeder.start();
            first.start();
            waitFor(Duration.ofSeconds(90), "the first trainer publishes", () -> !a.releases().isEmpty() || !failures.isEmpty());
            rollbacker.start();
            second.start();
            rollbacker.join(TimeUnit.SECONDS.toMillis(120));
            long afterRollbacks = new ModelCatalog(config, Duration.ofSeconds(30)).read(config.model().name()).latest().orElseThrow().getVersion();
            waitFor(Duration.ofSeconds(90), "the second trainer publishes after the rollbacks",
                    () -> b.releases().stream().anyMatch(r -> r.getVersion() > afterRollbacks) || !failures.isEmpty());
            waitFor(Duration.ofSeconds(60), "the first trainer stopped, taken over", () -> !takenOver.isEmpty() || !failures.isEmpty());
        } finally {
            feeding.set(false);
            feeder.join(TimeUnit.SECONDS.toMillis(30));
            first.close();
            second.close();
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of("a"), takenOver, "the trainer started first stopped when the second took over; the second ran on");

        List<ConsumerRecord<String, byte[]>> records = BrokerTestSupport.readCommitted(config.clientConfig(), config.topics().models());
        List<ModelRelease> committed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            committed.add(ModelReleases.decodeVerified(r.value()));
        }
        long previous = 0;
        for (ModelRelease r : committed) {
            assertEquals(previous + 1, r.getVersion(), "versions follow each other in publication order: " + versions(committed));
            assertEquals(previous, r.getParentVersion(), "each release's parent is the version in force before it");
            previous = r.getVersion();
        }
        long rolledBack = committed.stream().filter(r -> r.getOrigin() == ReleaseOrigin.ROLLBACK).count();
        List<ModelRelease> trained = new ArrayList<>(a.releases());
        trained.addAll(b.releases());
        System.out.printf("race: %d committed releases (%s): 1 seeded, %d by trainer a, %d by trainer b, %d rollbacks (%d refused: %s)%n",
                committed.size(), versions(committed), a.releases().size(), b.releases().size(), rollbacks.get(),
                rollbacksRefused.get(), rollbackErrors);
        assertEquals(rollbacks.get(), rolledBack, "every rollback that said so was committed, no other");
        assertEquals(1 + trained.size() + rollbacks.get(), committed.size(),
                "every release a trainer reported is on the topic, and nothing else is");
        for (ModelRelease t : trained) {
            ModelRelease onTopic = committed.get((int) t.getVersion() - 1);
            assertEquals(t.getWeights(), onTopic.getWeights(), "release " + t.getVersion() + " on the topic is the one its trainer published");
        }
        assertTrue(!a.releases().isEmpty() && !b.releases().isEmpty() && rollbacks.get() >= 1,
                "both trainers and a rollback published: " + versions(committed));
    }

    /**
     * The trainer is killed inside its first transaction after training, before the commit (the release's if the gate passed
     * the candidate, else the checkpoint of offsets that follows a refusal): nothing is committed, and the restarted trainer
     * re-reads every reading and trains on exactly the same values, then commits the offset of the oldest value it holds.
     */
    @Test
    void shouldTrainAgainOnTheSameDataAfterAKillBetweenTrainingAndCommitting() throws Exception {
        Map<String, String> s = settings("kill");
        // On event time the first training starts at the same reading whatever the polling, so both runs train on the same data.
        s.put("train.clock", "event");
        s.put("train.interval.ms", Long.toString(10_000 * STEP));
        s.put("train.min.new.samples", "1000000");
        s.put("train.min.samples.per.series", "400");
        s.put("train.history", "400");
        s.put("train.epochs", "20");
        SeismoConfig config = createTopics(s);
        int ticks = 400;
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            produce(producer, config.topics().training(),
                    new Simulator(new SimConfig(3, 8, System.currentTimeMillis() - (ticks + 120L) * STEP, STEP, 1000, 400)), ticks);
        }
        long total = 3L * ticks;

        List<long[]> killedRun = new CopyOnWriteArrayList<>();
        List<RuntimeException> killed = new CopyOnWriteArrayList<>();
        TrainerService victim = new TrainerService(config, new TrainerListener() {
            @Override
            public void trainingStarted(int series, long samples) {
                killedRun.add(new long[] {series, samples});
            }

            @Override
            public void failed(RuntimeException failure) {
                killed.add(failure);
            }
        });
        victim.beforeCommit(() -> {
            throw new RuntimeException("killed between training and committing");
        });
        try {
            victim.start();
            waitFor(Duration.ofSeconds(90), "the trainer is killed before it commits", () -> !killed.isEmpty());
        } finally {
            victim.close();
        }
        assertEquals(1, killedRun.size());
        assertEquals(0, BrokerTestSupport.readCommitted(config.clientConfig(), config.topics().models()).size(), "nothing published");
        assertEquals(Map.of(), committedOffsets(config), "no offset committed");

        List<long[]> restartedRun = new CopyOnWriteArrayList<>();
        List<ModelRelease> published = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        TrainerService restarted = new TrainerService(config, new TrainerListener() {
            @Override
            public void trainingStarted(int series, long samples) {
                restartedRun.add(new long[] {series, samples});
            }

            @Override
            public void released(ModelRelease release) {
                published.add(release);
            }

            @Override
            public void rejected(String reason) {
                refused.add(reason);
            }
        });
        try {
            restarted.start();
            waitFor(Duration.ofSeconds(90), "the restarted trainer has read everything and committed its offsets",
                    () -> restarted.stats().consumedRecords() == total && !committedOffsets(config).isEmpty());
        } finally {
            restarted.close();
        }
        assertEquals(1, restartedRun.size());
        assertTrue(java.util.Arrays.equals(killedRun.get(0), restartedRun.get(0)),
                "the restart trained on the same series and values as the killed run: " + java.util.Arrays.toString(killedRun.get(0))
                        + " vs " + java.util.Arrays.toString(restartedRun.get(0)));
        assertEquals(1, published.size() + refused.size(), "one candidate, published or refused: " + refused);
        System.out.printf("kill: killed run trained on %s; restart re-read %d of %d readings, trained on %s, %s%n",
                java.util.Arrays.toString(killedRun.get(0)), restarted.stats().consumedRecords(), total,
                java.util.Arrays.toString(restartedRun.get(0)), published.isEmpty() ? "refused: " + refused.get(0)
                        : "published release " + published.get(0).getVersion());
        if (!published.isEmpty()) {
            assertEquals(1, published.get(0).getVersion());
            assertEquals(killedRun.get(0)[1], published.get(0).getTraining().getSamples(), "the release records the values it was trained on");
        }
        // Committed: the offset of the oldest value the buffer holds, 0 here as it holds every reading (400 per series).
        assertEquals(0L, committedOffsets(config).values().iterator().next().offset());
    }

    private static TrainerListener listening(BrokerTestSupport.RecordingTrainerListener recorder, List<String> takenOver,
                                             List<String> failures, String name) {
        return new TrainerListener() {
            @Override
            public void released(ModelRelease release) {
                recorder.released(release);
            }

            @Override
            public void rejected(String reason) {
                recorder.rejected(reason);
            }

            @Override
            public void takenOver(String reason) {
                takenOver.add(name);
            }

            @Override
            public void failed(RuntimeException failure) {
                failures.add(name + ": " + failure);
            }
        };
    }

    private static List<Long> versions(List<ModelRelease> releases) {
        return releases.stream().map(ModelRelease::getVersion).toList();
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(SeismoConfig config) {
        try (Admin admin = Admin.create(new HashMap<>(config.clientConfig()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(admin.listConsumerGroupOffsets(config.train().groupId())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
            offsets.values().removeIf(java.util.Objects::isNull);
            return offsets;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the trainer group's offsets: " + e, e);
        }
    }
}
