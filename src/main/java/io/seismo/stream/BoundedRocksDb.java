package io.seismo.stream;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory RocksDB takes for all of an instance's stores together: one LRU block cache of
 * {@code state.rocksdb.memory.mb}, which also holds the index and filter blocks (the top level pinned) and is charged
 * for the memtables through one write-buffer manager; and a Bloom filter per table, so a read for a series a table
 * does not hold (a new series, most tables of a large store) costs no block read. Without it every store takes Kafka
 * Streams' defaults (a 50 MB cache and up to three 16 MB memtables each, index and filters outside any bound), which
 * grows with the partitions an instance holds.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** The budget in bytes, passed through the Kafka Streams properties. */
    public static final String MEMORY_CONFIG = "seismo.rocksdb.memory.bytes";
    /** The share of the budget memtables may take before RocksDB flushes them. */
    static final double MEMTABLE_SHARE = 0.25;

    private static final Object LOCK = new Object();
    private static Cache cache;
    private static WriteBufferManager writeBuffers;
    private static long capacity;
    private static int stores;

    private BloomFilter filter;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long budget = Long.parseLong(String.valueOf(configs.get(MEMORY_CONFIG)));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        synchronized (LOCK) {
            if (cache == null || capacity != budget) {
                // A budget is per process: the first store opened with a new one starts a new cache (tests run several).
                cache = new LRUCache(budget, -1, false, 0.1);
                writeBuffers = new WriteBufferManager((long) (budget * MEMTABLE_SHARE), cache);
                capacity = budget;
            }
            stores++;
            table.setBlockCache(cache);
            options.setWriteBufferManager(writeBuffers);
        }
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        filter = new BloomFilter(10, false);
        table.setFilterPolicy(filter);
        options.setWriteBufferSize(Math.min(16L << 20, Math.max(1L << 20, (long) (budget * MEMTABLE_SHARE / 8))));
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        filter.close();
        synchronized (LOCK) {
            stores = Math.max(0, stores - 1);
        }
    }

    /** The budget in force, in bytes; 0 when no store was opened with one. */
    public static long capacityBytes() {
        synchronized (LOCK) {
            return cache == null ? 0 : capacity;
        }
    }

    /** What the shared cache holds now (data, index and filter blocks, and the memtables charged to it), in bytes. */
    public static long usageBytes() {
        synchronized (LOCK) {
            return cache == null ? 0 : cache.getUsage();
        }
    }

    /** Stores open with the shared cache. */
    public static int openStores() {
        synchronized (LOCK) {
            return stores;
        }
    }
}
