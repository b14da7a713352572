package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.Reading;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector's RocksDB stores share one bounded cache, charged for their memtables, unless the budget is 0. */
class BoundedRocksDbTest {
    @TempDir
    Path stateDir;

    private SeismoConfig config(String mb) {
        return SeismoConfig.defaults().with(Map.of("bootstrap.servers", "localhost:9", "state.dir", stateDir.toString(),
                "model.hidden.size", "8", "model.inputs", "value", "state.rocksdb.memory.mb", mb));
    }

    @Test
    void shouldShareOneBoundedCacheAmongTheStoresOfAnInstance() {
        SeismoConfig config = config("24");
        Properties props = DetectorApp.streamsProperties(config);
        assertEquals(BoundedRocksDb.class, props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        int before = BoundedRocksDb.openStores();
        try (TopologyTestDriver driver = new TopologyTestDriver(SeismoTopology.build(config), props)) {
            assertEquals(24L << 20, BoundedRocksDb.capacityBytes(), "state.rocksdb.memory.mb");
            assertTrue(BoundedRocksDb.openStores() >= before + 2, "the series' states and their counts share it");
            TestInputTopic<String, byte[]> readings = driver.createInputTopic("readings", new StringSerializer(), new ByteArraySerializer());
            long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
            for (int i = 0; i < 2_000; i++) {
                String series = "s-" + (i % 200);
                long ts = start + (i / 200) * 60_000L;
                readings.pipeInput(series, SeismoSerdes.READING.encode(new Reading(series, Instant.ofEpochMilli(ts), 10.0 + i % 7)), ts);
            }
            long used = BoundedRocksDb.usageBytes();
            assertTrue(used > 0, "the memtables are charged to the cache: " + used);
            assertTrue(used <= (24L << 20) * 11 / 10, "within the ceiling: " + used);
        }
        assertEquals(before, BoundedRocksDb.openStores(), "closed stores give their place back");
    }

    @Test
    void shouldLeaveKafkaStreamsDefaultsWhenTheBudgetIsZero() {
        Properties props = DetectorApp.streamsProperties(config("0"));
        assertFalse(props.containsKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertFalse(props.containsKey(BoundedRocksDb.MEMORY_CONFIG));
    }
}
