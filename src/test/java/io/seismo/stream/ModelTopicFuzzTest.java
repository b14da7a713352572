package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;

import io.seismo.config.SeismoConfig;
import io.seismo.nn.CellType;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import io.seismo.nn.WeightsCodec;
import io.seismo.release.ModelReleases;
import io.seismo.release.RejectionReason;
import io.seismo.release.ReleaseRejectedException;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random, mutated and crafted records on the models topic, each followed by a reading: the detector keeps
 * judging every reading, the model in force changes only to a release that decodes into a network of the configured
 * shape, and every record is accounted for: refused (counted by reason), taken into force (the usable newer releases
 * mixed in), or ignored as no newer than the release in force. The trainer's and the models command's path ({@link ModelReleases#decodeVerified} and
 * {@link ModelReleases#toNetwork}) refuses each bad one with a {@link ReleaseRejectedException} and nothing else.
 */
class ModelTopicFuzzTest {
    private static final long SEED = 20261203L;
    private static final int INPUTS = 3000;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String SERIES = "sensor-1";

    @TempDir
    Path stateDir;

    /** Counts refusals by reason, as the metrics registry would. */
    private static final class Refusals implements DetectorMetrics {
        final AtomicLongArray counts = new AtomicLongArray(RejectionReason.values().length);

        @Override
        public void modelRejected(RejectionReason reason) {
            counts.incrementAndGet(reason.ordinal());
        }

        long total() {
            long t = 0;
            for (int i = 0; i < counts.length(); i++) {
                t += counts.get(i);
            }
            return t;
        }
    }

    @Test
    void shouldAccountForEveryRecordOnTheModelsTopicAndKeepJudgingWithAUsableModel() {
        SeismoConfig config = SeismoConfig.defaults().with(Map.of(
                "bootstrap.servers", "localhost:9",
                "state.dir", stateDir.toString(),
                "model.hidden.size", "8",
                "model.inputs", "value",
                "topic.scores", "scores"));
        String name = config.model().name();
        NetworkShape shape = ModelReleases.configuredShape(config.model());
        ModelRelease first = ModelReleases.untrained(config, 1, Instant.parse("2026-01-01T00:00:00Z"));
        byte[] firstBytes = ModelReleases.encode(first);
        Random random = new Random(SEED);
        Refusals refusals = new Refusals();
        long taken = 0;
        long stale = 0;
        Map<RejectionReason, Integer> trainerSide = new EnumMap<>(RejectionReason.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(SeismoTopology.build(config, refusals),
                DetectorApp.streamsProperties(config))) {
            TestInputTopic<String, byte[]> models = driver.createInputTopic("models", new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> readings = driver.createInputTopic("readings", new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, ScoredReading> scores = driver.createOutputTopic("scores", new StringDeserializer(),
                    SeismoSerdes.SCORED.deserializer());
            KeyValueStore<String, ModelRelease> store = driver.getKeyValueStore(SeismoTopology.Names.DEFAULT.modelStore());
            models.pipeInput(name, firstBytes);
            int reading = 0;
            reading = read(readings, reading, random);
            assertEquals(1, scores.readValue().getModelVersion(), "release 1 is in force");
            long inForce = 1;
            long nextVersion = 2;
            for (int i = 0; i < INPUTS; i++) {
                byte[] record = switch (i % 4) {
                    case 0 -> randomBytes(random);
                    case 1 -> mutate(firstBytes, random);
                    case 2 -> ModelReleases.encode(i % 100 == 98 ? good(config, first, random, nextVersion)
                            : crafted(first, shape, random, nextVersion));
                    default -> ModelReleases.encode(withVersion(first, random));
                };
                if (i % 4 == 2) {
                    nextVersion++;
                }
                long refusedBefore = refusals.total();
                long storedBefore = store.get(name).getVersion();
                models.pipeInput(name, record);
                reading = read(readings, reading, random);
                List<ScoredReading> judged = scores.readValuesToList();
                assertEquals(1, judged.size(), "the reading after record " + i + " is judged");
                long version = judged.get(0).getModelVersion();
                long storedAfter = store.get(name).getVersion();
                if (version != inForce) {
                    // Taken into force: a release newer than the one before, whose weights are a network of the configured shape.
                    ModelRelease release = store.get(name);
                    assertEquals(version, release.getVersion(), "the detector runs the stored release");
                    assertTrue(version > inForce, "a newer release, not " + version + " after " + inForce);
                    Network network = ModelReleases.toNetwork(release, shape, ModelReleases.inputsOf(config.model()));
                    assertEquals(shape, network.shape());
                    inForce = version;
                    taken++;
                } else if (refusals.total() == refusedBefore) {
                    assertEquals(storedBefore, storedAfter, "neither refused nor taken: record " + i + " changed the store");
                    stale++;
                }
                assertTrue(refusals.total() - refusedBefore <= 1, "one record is refused at most once");
                // What the trainer and `seismo models` do with the same bytes: a refusal with its reason, or a release.
                try {
                    ModelRelease release = ModelReleases.decodeVerified(record);
                    ModelReleases.toNetwork(release, shape, ModelReleases.inputsOf(config.model()));
                } catch (ReleaseRejectedException e) {
                    trainerSide.merge(e.reason(), 1, Integer::sum);
                }
            }
            long refused = refusals.total();
            assertEquals(INPUTS, refused + taken + stale, String.format("%d records: %d refused (%s), %d taken into force, %d stale",
                    INPUTS, refused, refusals.counts, taken, stale));
            // Every class of refusal was met, and the bulk of the records was refused, not taken.
            for (RejectionReason reason : List.of(RejectionReason.UNDECODABLE, RejectionReason.VERSION_OUT_OF_RANGE,
                    RejectionReason.CHECKSUM_MISMATCH, RejectionReason.CORRUPT_WEIGHTS, RejectionReason.SHAPE_MISMATCH,
                    RejectionReason.INPUTS_MISMATCH)) {
                assertTrue(refusals.counts.get(reason.ordinal()) > 0, "no record refused as " + reason + ": " + refusals.counts);
                assertTrue(trainerSide.getOrDefault(reason, 0) > 0, "the trainer's path refused none as " + reason + ": " + trainerSide);
            }
            assertEquals(0, refusals.counts.get(RejectionReason.FAILED.ordinal()), "every refusal has a reason of its own");
            assertTrue(refused > INPUTS / 2, refused + " refused");
            assertEquals(INPUTS / 100, taken, "every usable newer release is taken into force");
            System.out.printf("models topic fuzz: %d records: %d refused %s, %d taken into force, %d stale; trainer's path refused %s%n",
                    INPUTS, refused, refusals.counts, taken, stale, trainerSide);
        }
    }

    private static int read(TestInputTopic<String, byte[]> readings, int i, Random random) {
        long ts = START + i * 60_000L;
        readings.pipeInput(SERIES, SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(ts),
                50 + 5 * Math.sin(i / 10.0) + random.nextGaussian())), ts);
        return i + 1;
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        if (b.length >= 2 && random.nextBoolean()) {
            b[0] = (byte) 0xC3; // the single-object header, to get past the first check
            b[1] = 0x01;
        }
        return b;
    }

    /** The valid release's bytes with a few bytes changed, cut short or extended. */
    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
            default -> {
                b = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(64));
                for (int k = valid.length; k < b.length; k++) {
                    b[k] = (byte) random.nextInt(256);
                }
            }
        }
        return b;
    }

    /** A usable release at the next version: new weights of the configured shape, checksum and all. */
    private static ModelRelease good(SeismoConfig config, ModelRelease valid, Random random, long version) {
        ModelRelease fresh = ModelReleases.untrained(config, random.nextLong(), Instant.parse("2026-01-02T00:00:00Z"));
        return ModelRelease.newBuilder(fresh).setVersion(version).setParentVersion(version - 1).setTraining(valid.getTraining()).build();
    }

    /** The valid release with a version from the edges: 0, negative, Long.MAX_VALUE, just past the largest allowed. */
    private static ModelRelease withVersion(ModelRelease valid, Random random) {
        long[] versions = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, ModelReleases.MAX_VERSION + 1, -ModelReleases.MAX_VERSION};
        return ModelRelease.newBuilder(valid).setVersion(versions[random.nextInt(versions.length)]).setParentVersion(0).build();
    }

    /**
     * A structurally valid release at the next version whose content is wrong in one way: a wrong checksum, another
     * shape (with its own correct weights), other inputs, or a weights blob crafted with a consistent CRC but a lying
     * length, size or cell.
     */
    private static ModelRelease crafted(ModelRelease valid, NetworkShape shape, Random random, long version) {
        ModelRelease.Builder b = ModelRelease.newBuilder(valid).setVersion(version).setParentVersion(version - 1);
        byte[] weights = bytes(valid.getWeights());
        switch (random.nextInt(5)) {
            case 0 -> b.setWeightsChecksum(random.nextLong());
            case 1 -> {
                NetworkShape other = new NetworkShape(CellType.GRU, shape.inputSize(), 1 + random.nextInt(20), 1);
                byte[] w = WeightsCodec.encode(Network.initialise(other, random.nextLong()));
                b.setCellType(other.cell().id()).setHiddenSize(other.hiddenSize()).setWeights(ByteBuffer.wrap(w)).setWeightsChecksum(crc(w));
            }
            case 2 -> b.setInputs(random.nextBoolean() ? "value,time-of-day" : "no such input");
            case 3 -> {
                // The blob's cell-id length set past its end, its own CRC and the record's checksum made consistent.
                byte[] w = weights.clone();
                w[6] = (byte) (200 + random.nextInt(56));
                seal(w);
                b.setWeights(ByteBuffer.wrap(w)).setWeightsChecksum(crc(w));
            }
            default -> {
                // The blob's declared hidden size or parameter count changed, sealed the same way.
                byte[] w = weights.clone();
                int cellLength = w[6];
                int field = 7 + cellLength + 4 * (1 + random.nextInt(3));
                ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).putInt(field, random.nextInt());
                seal(w);
                b.setWeights(ByteBuffer.wrap(w)).setWeightsChecksum(crc(w));
            }
        }
        return b.build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer d = buffer.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** Rewrites a blob's own trailing CRC32 for its (changed) content. */
    private static void seal(byte[] blob) {
        CRC32 crc = new CRC32();
        crc.update(blob, 0, blob.length - 4);
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(blob.length - 4, (int) crc.getValue());
    }

    /** The record's checksum of a blob: the CRC32 of all but its last four bytes. */
    private static long crc(byte[] blob) {
        CRC32 crc = new CRC32();
        crc.update(blob, 0, blob.length - 4);
        return crc.getValue();
    }
}
