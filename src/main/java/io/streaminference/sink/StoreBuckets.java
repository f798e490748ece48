package io.streaminference.sink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * Where in the store a record goes, shared by the sink and the query API: a record is written to the bucket of the
 * time it was written ({@code bucket-period} long) and to one of {@value #SHARDS} shards by its id (its entity index
 * by its entity key). A bucket's keys expire {@code ttl} after the bucket ends, so a record lives between
 * {@code ttl} and {@code ttl + bucket-period}, and readers look in the buckets not yet expired. Pure: no Redis.
 */
public final class StoreBuckets {

    /**
     * Shards per bucket: enough that one hash stays a small share of a Redis node and that Redis Cluster spreads
     * them over its slots; fixed, because a record is found again by its shard.
     */
    public static final int SHARDS = 1024;

    private final long periodMs;
    private final long ttlMs;

    public StoreBuckets(Duration ttl, Duration period) {
        if (period.toMillis() <= 0 || ttl.compareTo(period) < 0) {
            throw new IllegalArgumentException("the bucket period must be positive and at most the ttl");
        }
        this.periodMs = period.toMillis();
        this.ttlMs = ttl.toMillis();
    }

    public static StoreBuckets of(SinkProperties properties) {
        return new StoreBuckets(properties.ttl(), properties.bucketPeriod());
    }

    /** The bucket a record written at {@code nowMs} goes to. */
    public long current(long nowMs) {
        return Math.floorDiv(nowMs, periodMs);
    }

    /** The newest bucket a reader looks in: one ahead of its own, for a writer whose clock runs a little ahead. */
    public long newest(long nowMs) {
        return current(nowMs) + 1;
    }

    /** The oldest bucket not yet expired at {@code nowMs}: bucket b expires at (b + 1) × period + ttl. */
    public long oldest(long nowMs) {
        return Math.floorDiv(nowMs - ttlMs, periodMs);
    }

    /** When the keys of {@code bucket} expire, epoch ms. */
    public long expiresAtMs(long bucket) {
        return (bucket + 1) * periodMs + ttlMs;
    }

    /** The shard of an id or entity key: CRC-32 of its UTF-8 bytes, so every JVM and version agrees. */
    public static int shard(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % SHARDS);
    }
}
