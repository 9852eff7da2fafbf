package dev.taskscheduler.scheduler.storage;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the off-heap memory of all RocksDB stores of this process together. By default every store
 * instance (one per store and partition: three timer stores, the task index and two schedule
 * stores, times the partitions held) gets its own block cache and memtables, so the scheduler's
 * memory would grow with its partition count rather than with its limit. Here they share one
 * block cache, which also accounts for the memtables and the index and filter blocks.
 *
 * <p>Set through {@code rocksdb.config.setter}; Kafka Streams creates it without arguments and
 * passes its configuration, so the sizes are read from there:
 * {@value #TOTAL_BYTES_CONFIG} (default 128 MiB) and {@value #MEMTABLE_BYTES_CONFIG} (default
 * 32 MiB, part of the total).
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

    public static final String TOTAL_BYTES_CONFIG = "scheduler.rocksdb.total-off-heap-bytes";
    public static final String MEMTABLE_BYTES_CONFIG = "scheduler.rocksdb.memtable-bytes";

    private static final long DEFAULT_TOTAL_BYTES = 128L * 1024 * 1024;
    private static final long DEFAULT_MEMTABLE_BYTES = 32L * 1024 * 1024;
    /** Share of the cache kept for index and filter blocks, so data blocks cannot evict them. */
    private static final double INDEX_FILTER_RATIO = 0.1;

    /** Shared by every store of the process, hence static; never closed while the process runs. */
    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(sharedCache(configs));
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
    }

    private static synchronized Cache sharedCache(Map<String, Object> configs) {
        if (cache == null) {
            long total = bytes(configs, TOTAL_BYTES_CONFIG, DEFAULT_TOTAL_BYTES);
            long memtables = bytes(configs, MEMTABLE_BYTES_CONFIG, DEFAULT_MEMTABLE_BYTES);
            if (memtables >= total) {
                throw new IllegalArgumentException(MEMTABLE_BYTES_CONFIG + " must be less than " + TOTAL_BYTES_CONFIG);
            }
            cache = new LRUCache(total, -1, false, INDEX_FILTER_RATIO);
            writeBufferManager = new WriteBufferManager(memtables, cache);
        }
        return cache;
    }

    private static long bytes(Map<String, Object> configs, String name, long fallback) {
        Object value = configs.get(name);
        return value == null ? fallback : Long.parseLong(value.toString().trim());
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by the other stores: not closed here.
    }
}
