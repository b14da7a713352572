package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of records, good and bad mixed with a fixed seed (random bytes; valid readings with bits flipped, cut short
 * or with bytes appended; other schemas; null, empty, foreign and huge keys; null values; NaN, infinities and absurd
 * magnitudes; shuffled, repeated, far-future, negative timestamps and long gaps), through the whole topology: processing
 * never stops, and every input is accounted for, judged (one scored reading) or dead-lettered with its original bytes.
 * Seismo drops nothing on purpose, so the documented drops are zero. The figures go to docs/reliability.md.
 */
class BadInputFuzzTest {
    static final long SEED = 20_261_127L;
    static final int INPUTS = 10_000;
    private static final long STEP = 60_000L;
    private static final long START = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final int SERIES = 12;

    @TempDir
    Path stateDir;

    /** One input as sent (key, value, record timestamp), and what it was made as. */
    private record Input(byte[] key, byte[] value, long recordTime, String kind) {
    }

    @Test
    void shouldAccountForEveryInputOfASeededMixOfGoodAndBadRecords() {
        SeismoConfig config = SeismoConfig.defaults().with(Map.of(
                "bootstrap.servers", "localhost:9",
                "state.dir", stateDir.toString(),
                "model.inputs", "value",
                "topic.scores", "scores"));
        Random random = new Random(SEED);
        List<Input> inputs = generate(random);
        long started = System.nanoTime();
        try (TopologyTestDriver driver = new TopologyTestDriver(SeismoTopology.build(config), DetectorApp.streamsProperties(config), NOW)) {
            TestInputTopic<byte[], byte[]> readings = driver.createInputTopic("readings", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], DeadLetter> deadLetters = driver.createOutputTopic("deadletter", new ByteArrayDeserializer(),
                    SeismoSerdes.DEAD_LETTER.deserializer());
            TestOutputTopic<String, ScoredReading> scores = driver.createOutputTopic("scores", new StringDeserializer(),
                    SeismoSerdes.SCORED.deserializer());
            for (Input input : inputs) {
                readings.pipeInput(new TestRecord<>(input.key(), input.value(), Instant.ofEpochMilli(input.recordTime())));
            }
            long judged = scores.getQueueSize();
            scores.readValuesToList();
            List<DeadLetter> letters = deadLetters.readValuesToList();

            // Every dead letter names its own input and carries its bytes unchanged.
            Map<DeadLetterReason, Integer> byReason = new EnumMap<>(DeadLetterReason.class);
            boolean[] seen = new boolean[inputs.size()];
            for (DeadLetter letter : letters) {
                int at = (int) letter.getSourceOffset();
                assertTrue(!seen[at], "one dead letter per input, offset " + at);
                seen[at] = true;
                Input input = inputs.get(at);
                assertArrayEquals(input.key(), DeadLetters.bytes(letter.getKey()), "original key at offset " + at);
                assertArrayEquals(input.value(), DeadLetters.bytes(letter.getValue()), "original value at offset " + at);
                byReason.merge(DeadLetterReason.valueOf(letter.getReasonCode()), 1, Integer::sum);
            }
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).kind().equals("random-bytes") && inputs.get(i).value() != null) {
                    assertTrue(seen[i], "random bytes are never taken for a reading, offset " + i);
                }
            }
            long drops = 0; // documented drops: none, every input is judged or dead-lettered
            String figures = String.format(java.util.Locale.ROOT,
                    "bad-input fuzz (seed %d): %d inputs, %d judged, %d dead letters, %d drops; by reason %s; %.1f s",
                    SEED, inputs.size(), judged, letters.size(), drops, byReason, (System.nanoTime() - started) / 1e9);
            System.out.println(figures);
            assertEquals(inputs.size(), judged + letters.size() + drops, figures);
            assertEquals(judged, storedReadings(driver, config), "each judged reading advanced its series once");
            assertEquals(null, byReason.get(DeadLetterReason.PROCESSING_ERROR), "no input made processing fail: " + figures);
            assertTrue(judged > inputs.size() / 4 && letters.size() > inputs.size() / 4, "a real mix of both: " + figures);

            // Processing goes on: a clean series afterwards is judged reading by reading.
            for (int i = 0; i < 50; i++) {
                long ts = NOW.toEpochMilli() - (50 - i) * STEP;
                byte[] value = SeismoSerdes.READING.encode(new Reading("after", Instant.ofEpochMilli(ts), (double) (i % 7)));
                readings.pipeInput(new TestRecord<>("after".getBytes(StandardCharsets.UTF_8), value, Instant.ofEpochMilli(ts)));
            }
            assertEquals(50, scores.getQueueSize());
            assertTrue(deadLetters.isEmpty());
        }
    }

    private static long storedReadings(TopologyTestDriver driver, SeismoConfig config) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(SeismoTopology.Names.DEFAULT.stateStore());
        assertNotNull(store);
        PackedSeriesState packed = new PackedSeriesState(DetectorSettings.from(config));
        long total = 0;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                total += packed.toAvro(kv.value).getReadings();
            }
        }
        return total;
    }

    /** The seeded mix of inputs. */
    static List<Input> generate(Random random) {
        List<Input> out = new ArrayList<>(INPUTS);
        long[] clock = new long[SERIES];
        Arrays.fill(clock, START);
        long[] last = new long[SERIES];
        for (int i = 0; i < INPUTS; i++) {
            int s = random.nextInt(SERIES);
            String series = "fuzz-" + s;
            double p = random.nextDouble();
            if (p < 0.15) {
                byte[] junk = new byte[random.nextInt(81)];
                random.nextBytes(junk);
                out.add(new Input(key(random, series), junk, NOW.toEpochMilli(), "random-bytes"));
            } else if (p < 0.18) {
                out.add(new Input(key(random, series), null, NOW.toEpochMilli(), "null-value"));
            } else if (p < 0.21) {
                byte[] other = SeismoSerdes.SCORED.encode(ScoredReading.newBuilder().setSeries(series)
                        .setTimestamp(Instant.ofEpochMilli(clock[s])).setValue(1).setScored(false).setExpected(1).setLower(0)
                        .setUpper(2).setError(0).setThreshold(0).setScore(0).setAnomalous(false).setInEpisode(false)
                        .setModelVersion(0).build());
                out.add(new Input(key(random, series), other, NOW.toEpochMilli(), "other-schema"));
            } else {
                long ts = timestamp(random, s, clock, last);
                double value = value(random, i);
                byte[] valid = SeismoSerdes.READING.encode(new Reading(series, Instant.ofEpochMilli(ts), value));
                String kind = "reading";
                double m = random.nextDouble();
                if (m < 0.10) {
                    for (int b = 1 + random.nextInt(4); b > 0; b--) {
                        int bit = random.nextInt(valid.length * 8);
                        valid[bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                    kind = "bit-flips";
                } else if (m < 0.16) {
                    valid = Arrays.copyOf(valid, random.nextInt(valid.length));
                    kind = "truncated";
                } else if (m < 0.22) {
                    byte[] longer = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(8));
                    for (int b = valid.length; b < longer.length; b++) {
                        longer[b] = (byte) random.nextInt(256);
                    }
                    valid = longer;
                    kind = "appended";
                } else if (m < 0.26) {
                    valid[random.nextInt(valid.length)] = (byte) random.nextInt(256);
                    kind = "byte-overwritten";
                }
                // Producers stamp records with the event time, or leave it to the send time.
                long recordTime = ts >= 0 && random.nextBoolean() ? ts : NOW.toEpochMilli();
                out.add(new Input(key(random, series), valid, recordTime, kind));
            }
        }
        return out;
    }

    /** Mostly the right key; sometimes none, empty, another series', random bytes or far too long. */
    private static byte[] key(Random random, String series) {
        double p = random.nextDouble();
        if (p < 0.03) {
            return null;
        } else if (p < 0.05) {
            return new byte[0];
        } else if (p < 0.07) {
            byte[] huge = new byte[1025 + random.nextInt(4000)];
            Arrays.fill(huge, (byte) 'k');
            return huge;
        } else if (p < 0.11) {
            return ("fuzz-" + random.nextInt(SERIES)).getBytes(StandardCharsets.UTF_8);
        } else if (p < 0.15) {
            byte[] junk = new byte[1 + random.nextInt(16)];
            random.nextBytes(junk);
            return junk;
        }
        return series.getBytes(StandardCharsets.UTF_8);
    }

    /** Mostly the series' next step; sometimes shuffled back, repeated, after a long gap, far ahead or before 1970. */
    private static long timestamp(Random random, int s, long[] clock, long[] last) {
        double p = random.nextDouble();
        long ts;
        if (p < 0.06 && last[s] > 0) {
            ts = last[s] - random.nextInt(20) * STEP; // out of order
        } else if (p < 0.09 && last[s] > 0) {
            ts = last[s]; // duplicate
        } else if (p < 0.10) {
            ts = NOW.toEpochMilli() + Duration.ofHours(2 + random.nextInt(24 * 365)).toMillis(); // far future
        } else if (p < 0.105) {
            ts = -1 - random.nextInt(1_000_000); // before 1970
        } else {
            if (p < 0.115) {
                clock[s] += Duration.ofDays(1 + random.nextInt(20)).toMillis(); // long gap
            }
            clock[s] += STEP;
            ts = clock[s];
            last[s] = ts;
        }
        return ts;
    }

    /** Mostly a noisy cycle; sometimes NaN, infinite, absurd, or a large but legal spike. */
    private static double value(Random random, int i) {
        double p = random.nextDouble();
        if (p < 0.02) {
            return Double.NaN;
        } else if (p < 0.03) {
            return Double.POSITIVE_INFINITY;
        } else if (p < 0.04) {
            return Double.NEGATIVE_INFINITY;
        } else if (p < 0.06) {
            return (random.nextBoolean() ? 1 : -1) * Math.pow(10, 16 + random.nextInt(293)); // 1e16 .. 1e308
        } else if (p < 0.07) {
            return (random.nextBoolean() ? 1 : -1) * Math.pow(10, 3 + random.nextInt(13)); // 1e3 .. 1e15
        }
        return 100 + 10 * Math.sin(i / 40.0) + random.nextGaussian();
    }
}
