package io.streaminference.sessions;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the instance together: one {@value #TOTAL_MB} MB block cache,
 * shared by all stores and counting their memtables ({@value #MEMTABLE_MB} MB of it) and index and filter blocks.
 * Without it each store takes its own defaults (tens of MB per store and partition), outside the Java heap and so
 * outside {@code -Xmx}. Set through {@code spring.kafka.streams.properties.rocksdb.config.setter}.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    static final long TOTAL_MB = 32;
    static final long MEMTABLE_MB = 8;

    /** Created on first use: the class is loaded (to check the setting) before RocksDB's native library is. */
    private static final class Shared {
        static {
            RocksDB.loadLibrary();
        }

        static final Cache CACHE = new LRUCache(TOTAL_MB * 1024 * 1024, -1, false, 0.1);
        static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_MB * 1024 * 1024, CACHE);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(Shared.CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(Shared.WRITE_BUFFERS);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(2 * 1024 * 1024);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write buffer manager are shared by every store: closing them here would break the others.
    }
}
