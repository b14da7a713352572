package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A steady stream for a while: the detector keeps up (consumer lag stays within a few seconds of input) and its memory
 * does not grow (heap after a full GC stays level). 45 s at 2,000 readings/s over 500 series in CI;
 * {@code -Dseismo.soak.seconds=600 -Dseismo.soak.rate=5000} for a longer run. Prints one line per sample.
 */
class SoakIT {
    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    private static final int SECONDS = Integer.getInteger("seismo.soak.seconds", 45);
    private static final int RATE = Integer.getInteger("seismo.soak.rate", 2_000);
    private static final int SERIES = 500;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    @TempDir
    Path stateDir;

    private record Sample(double seconds, long sent, long lag, long heapMb) {
    }

    @Test
    void shouldKeepLagAndHeapBoundedUnderASteadyRate() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", broker.bootstrapServers());
        s.put("application.id", "soak");
        s.put("state.dir", stateDir.toString());
        s.put("processing.guarantee", "exactly_once_v2");
        for (String t : List.of("readings", "anomalies", "training", "models", "deadletter", "feedback")) {
            s.put("topic." + t, "soak-" + t);
        }
        SeismoConfig config = SeismoConfig.parse(s);
        TopicAdmin.ensureTopics(config.clientConfig(), TopicPlan.of(config), Duration.ofSeconds(60));
        publishModel(config);

        List<Sample> samples = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        try (DetectorApp detector = new DetectorApp(config); Admin admin = Admin.create(config.clientConfig());
             KafkaProducer<String, byte[]> producer = BrokerTestSupport.producer(broker.bootstrapServers())) {
            detector.start();
            detector.awaitRunning(Duration.ofMinutes(2));
            long began = System.nanoTime();
            long nextSample = began + SAMPLE_EVERY.toNanos();
            long total = (long) SECONDS * RATE;
            Random random = new Random(5);
            while (sent.get() < total) {
                long due = Math.min(total, (System.nanoTime() - began) * RATE / 1_000_000_000L);
                for (long i = sent.get(); i < due; i++) {
                    String id = String.format("soak-%03d", i % SERIES);
                    long now = System.currentTimeMillis();
                    double value = 100 + 10 * Math.sin(i / (double) SERIES / 30.0) + random.nextGaussian();
                    producer.send(new ProducerRecord<>(config.topics().readings(), null, now, id,
                            SeismoSerdes.READING.encode(new Reading(id, Instant.ofEpochMilli(now), value))));
                }
                sent.set(due);
                if (System.nanoTime() >= nextSample) {
                    producer.flush();
                    samples.add(sample(admin, config, began, sent.get()));
                    nextSample += SAMPLE_EVERY.toNanos();
                }
                Thread.sleep(1); // pacing the offered rate
            }
            producer.flush();
            samples.add(sample(admin, config, began, sent.get()));
            waitFor(Duration.ofMinutes(2), "the detector has caught up", () -> lag(admin, config) == 0);
            assertTrue(detector.running(), "still running: " + detector.streams().state());
        }

        System.out.printf("soak: %d s at %,d readings/s over %d series, exactly-once%n", SECONDS, RATE, SERIES);
        samples.forEach(x -> System.out.printf("  t=%5.1f s  sent %,9d  lag %,7d  heap after GC %,5d MB%n", x.seconds, x.sent, x.lag, x.heapMb));
        int third = Math.max(1, samples.size() / 3);
        List<Sample> first = samples.subList(0, third);
        List<Sample> last = samples.subList(samples.size() - third, samples.size());
        long firstHeap = first.stream().mapToLong(Sample::heapMb).max().orElseThrow();
        long lastHeap = last.stream().mapToLong(Sample::heapMb).max().orElseThrow();
        long lastLag = last.stream().mapToLong(Sample::lag).max().orElseThrow();
        System.out.printf("soak: heap after GC, largest in the first third %d MB, in the last third %d MB; largest lag in the last third"
                + " %,d readings (%.1f s of input)%n", firstHeap, lastHeap, lastLag, lastLag / (double) RATE);
        assertTrue(samples.size() >= 3, "enough samples: " + samples.size());
        assertTrue(lastLag <= 10L * RATE, "the detector keeps up: lag " + lastLag + " in the last third");
        assertTrue(lastHeap <= firstHeap * 3 / 2 + 64, "the heap stays level: " + firstHeap + " MB then " + lastHeap + " MB");
    }

    private static Sample sample(Admin admin, SeismoConfig config, long began, long sent) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        return new Sample((System.nanoTime() - began) / 1e9, sent, lag(admin, config), heap);
    }

    /** Readings on the topic that the detector has not yet committed; -1 when the broker does not answer. */
    private static long lag(Admin admin, SeismoConfig config) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < config.topics().partitions(); p++) {
                latest.put(new TopicPartition(config.topics().readings(), p), OffsetSpec.latest());
            }
            long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
            long committed = admin.listConsumerGroupOffsets(config.cluster().applicationId()).partitionsToOffsetAndMetadata().get()
                    .values().stream().mapToLong(o -> o.offset()).sum();
            return end - committed;
        } catch (Exception e) {
            return -1;
        }
    }

    private static void publishModel(SeismoConfig config) throws Exception {
        ModelRelease release = ModelReleases.untrained(config, 9, Instant.now());
        try (KafkaProducer<String, byte[]> producer = BrokerTestSupport.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(config.topics().models(), config.model().name(), ModelReleases.encode(release))).get();
        }
    }
}
