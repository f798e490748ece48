package io.streaminference.sink;

import java.nio.charset.StandardCharsets;

/**
 * The Redis key scheme, shared by the writer and the query API. Records are bucketed ({@link StoreBuckets}):
 * {@code <prefix>p:{<shard>}:<bucket>} is a hash from event id to its {@link StoredValue} (the {@code Prediction}
 * protobuf behind a short header), {@code <prefix>e:{<shard>}:<bucket>} a hash from entity key to that entity's
 * event ids and event times in the bucket. Sessions likewise under {@code sp:} and {@code se:}. The shard in braces is
 * a Redis Cluster hash tag: every bucket of one shard lives in one slot. Keys of the layout before buckets —
 * {@code <prefix>prediction:<eventId>}, {@code <prefix>entity:<entityKey>}, {@code <prefix>session:<sessionId>},
 * {@code <prefix>entity-sessions:<entityKey>} — are only read, and only with {@code pipeline.sink.read-legacy-keys}.
 * Dead letters ({@link DeadLetterLog}): {@code <prefix>dead-letter:<id>} the latest of an event or session id,
 * {@code <prefix>dead-letters:<topic>:<reason>} the newest of each dead-letter topic and reason, and the set
 * {@code <prefix>dead-letter-kinds} of those topic and reason pairs.
 */
public final class RedisKeys {

    private final String prefix;
    private final String probe;
    private final String deadLetter;
    private final String deadLetters;
    private final String deadLetterKinds;

    public RedisKeys(String prefix) {
        this.prefix = prefix;
        this.probe = prefix + "probe";
        this.deadLetter = prefix + "dead-letter:";
        this.deadLetters = prefix + "dead-letters:";
        this.deadLetterKinds = prefix + "dead-letter-kinds";
    }

    /** A kind of stored record: the keys of its records and of its entities' indexes, per shard and bucket. */
    public interface KeySpace {
        /** The hash of the bucket and shard that {@code id}'s record goes to. */
        byte[] record(String id, long bucket);

        /** The hash of the bucket and shard that {@code entityKey}'s index entries go to. */
        byte[] index(String entityKey, long bucket);

        /** The hash one record had in the layout before buckets. */
        byte[] legacyRecord(String id);

        /** The sorted set an entity's index was in the layout before buckets. */
        byte[] legacyIndex(String entityKey);
    }

    public KeySpace events() {
        return new Space(prefix + "p:", prefix + "e:", prefix + "prediction:", prefix + "entity:");
    }

    public KeySpace sessions() {
        return new Space(prefix + "sp:", prefix + "se:", prefix + "session:", prefix + "entity-sessions:");
    }

    private record Space(String records, String indexes, String legacyRecords, String legacyIndexes)
            implements KeySpace {

        @Override
        public byte[] record(String id, long bucket) {
            return bucketKey(records, id, bucket);
        }

        @Override
        public byte[] index(String entityKey, long bucket) {
            return bucketKey(indexes, entityKey, bucket);
        }

        @Override
        public byte[] legacyRecord(String id) {
            return utf8(legacyRecords + id);
        }

        @Override
        public byte[] legacyIndex(String entityKey) {
            return utf8(legacyIndexes + entityKey);
        }

        private static byte[] bucketKey(String kind, String sharded, long bucket) {
            return utf8(kind + "{" + StoreBuckets.shard(sharded) + "}:" + bucket);
        }
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** The latest dead letter of an event or session id. */
    public byte[] deadLetter(String id) {
        return utf8(deadLetter + id);
    }

    /** The newest dead letters of one dead-letter topic and reason, newest first. */
    public byte[] recentDeadLetters(String topic, String reason) {
        return utf8(deadLetters + topic + ":" + reason);
    }

    /** The set of {@code topic reason} pairs that have recent dead letters. */
    public byte[] deadLetterKinds() {
        return utf8(deadLetterKinds);
    }

    /** The short-lived key the sink's breaker writes to check that Redis takes writes again. */
    byte[] probe() {
        return utf8(probe);
    }
}
