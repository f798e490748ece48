package io.streaminference.sink;

import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Writes one batch of predictions (of events or of sessions, by its {@link RedisKeys.KeySpace}) to Redis in the
 * current bucket ({@link StoreBuckets}), in two rounds of script calls of up to {@value #PREDICTIONS_PER_CALL}
 * predictions — store the records ({@code redis/store-records.lua}), then index the ones stored under their entities
 * ({@code redis/index-entities.lua}) — and returns only when Redis has answered every call (a failed call throws).
 * Every write is idempotent — replaying s2 writes nothing new — a prediction never replaces a newer one for the same
 * id, and an id stays with the first entity stored under it. Two rounds because a record and its entity's index are
 * in different hash slots: on Redis Cluster each call holds one slot's keys.
 */
class RedisPredictionWriter {

    /**
     * Redis runs a script without serving other clients; 100 predictions are about 1,100 cheap commands (each looks
     * in every live bucket), well under a millisecond, so queries never wait long behind the sink.
     */
    static final int PREDICTIONS_PER_CALL = 100;

    private final ScriptCalls scripts;
    private final RedisKeys.KeySpace keys;
    private final StoreBuckets buckets;
    private final byte[] historySize;
    private final Clock clock;

    RedisPredictionWriter(ScriptCalls scripts, RedisKeys.KeySpace keys, StoreBuckets buckets, int historySize) {
        this(scripts, keys, buckets, historySize, Clock.systemUTC());
    }

    RedisPredictionWriter(ScriptCalls scripts, RedisKeys.KeySpace keys, StoreBuckets buckets, int historySize,
            Clock clock) {
        this.scripts = scripts;
        this.keys = keys;
        this.buckets = buckets;
        this.historySize = ascii(historySize);
        this.clock = clock;
    }

    /**
     * @return the positions in {@code batch} of predictions that were not stored because their id is already stored
     *         under another entity (in batch order)
     */
    List<Integer> write(List<StoredRecord> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        long bucket = buckets.current(now);
        byte[] expiresAt = ascii(buckets.expiresAtMs(bucket));

        List<List<Integer>> storeChunks = chunks(IntStream.range(0, batch.size()).boxed().toList(),
                i -> keys.record(batch.get(i).id(), bucket));
        List<ScriptCalls.Call> stores = new ArrayList<>();
        byte[] newest = ascii(buckets.newest(now));
        byte[] oldest = ascii(buckets.oldest(now));
        for (List<Integer> chunk : storeChunks) {
            stores.add(call(chunk, 3, 4, new byte[][] {newest, oldest, expiresAt}, (i, out) -> {
                StoredRecord each = batch.get(i);
                out.key(keys.record(each.id(), bucket));
                out.args(StoredValue.encode(each, now), ascii(each.predictedAtMs()), utf8(each.id()),
                        utf8(each.entityKey()));
            }));
        }
        List<Object> answers = scripts.run(StoreScript.STORE_RECORDS, stores);
        List<Integer> clashes = new ArrayList<>();
        for (int call = 0; call < answers.size(); call++) {
            for (Object inChunk : (List<?>) answers.get(call)) {
                clashes.add(storeChunks.get(call).get(((Number) inChunk).intValue()));
            }
        }
        clashes.sort(null);

        List<Integer> stored = IntStream.range(0, batch.size()).filter(i -> !clashes.contains(i)).boxed().toList();
        List<ScriptCalls.Call> indexes = new ArrayList<>();
        for (List<Integer> chunk : chunks(stored, i -> keys.index(batch.get(i).entityKey(), bucket))) {
            indexes.add(call(chunk, 2, 3, new byte[][] {historySize, expiresAt}, (i, out) -> {
                StoredRecord each = batch.get(i);
                out.key(keys.index(each.entityKey(), bucket));
                out.args(utf8(each.id()), utf8(each.entityKey()), ascii(each.indexTimeMs()));
            }));
        }
        if (!indexes.isEmpty()) {
            scripts.run(StoreScript.INDEX_ENTITIES, indexes);
        }
        return clashes;
    }

    /** Positions in calls of at most {@value #PREDICTIONS_PER_CALL}, each of one hash slot where calls must be. */
    private List<List<Integer>> chunks(List<Integer> positions, Function<Integer, byte[]> keyOf) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (Integer position : positions) {
            int group = scripts.bySlot() ? SlotHash.getSlot(keyOf.apply(position)) : 0;
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(position);
        }
        List<List<Integer>> chunks = new ArrayList<>();
        for (List<Integer> group : groups.values()) {
            for (int from = 0; from < group.size(); from += PREDICTIONS_PER_CALL) {
                chunks.add(group.subList(from, Math.min(group.size(), from + PREDICTIONS_PER_CALL)));
            }
        }
        return chunks;
    }

    /** A call's keys then arguments: the shared arguments first, then each prediction's, as the scripts read them. */
    private static ScriptCalls.Call call(List<Integer> chunk, int sharedCount, int argsEach, byte[][] shared,
            Each each) {
        byte[][] keysAndArgs = new byte[chunk.size() + sharedCount + argsEach * chunk.size()][];
        Out out = new Out(keysAndArgs, chunk.size());
        for (byte[] arg : shared) {
            out.args(arg);
        }
        for (Integer position : chunk) {
            each.add(position, out);
        }
        return new ScriptCalls.Call(keysAndArgs, chunk.size());
    }

    @FunctionalInterface
    private interface Each {
        void add(int position, Out out);
    }

    /** Fills keys from the start and arguments after them. */
    private static final class Out {
        private final byte[][] into;
        private int key;
        private int arg;

        Out(byte[][] into, int keyCount) {
            this.into = into;
            this.arg = keyCount;
        }

        void key(byte[] value) {
            into[key++] = value;
        }

        void args(byte[]... values) {
            for (byte[] value : values) {
                into[arg++] = value;
            }
        }
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
