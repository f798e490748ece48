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
 * current bucket ({@link StoreBuckets}) with {@code redis/store-predictions.lua}, in calls of up to
 * {@value #PREDICTIONS_PER_CALL} predictions, and returns only when Redis has answered every call (a failed call
 * throws). Every write is idempotent — replaying s2 writes nothing new — a prediction never replaces a newer one for the
 * same id, and an id stays with the first entity stored under it. On a standalone or Sentinel Redis each call stores
 * and indexes, one round trip per batch; on Redis Cluster a record and its entity's index are in different hash slots,
 * so the records go first and the indexes of the stored ones second, each call holding one slot's keys.
 */
class RedisPredictionWriter {

    /**
     * Redis runs a script without serving other clients; 100 predictions are about 1,300 cheap commands (each looks
     * in every live bucket), well under a millisecond, so queries never wait long behind the sink.
     */
    static final int PREDICTIONS_PER_CALL = 100;

    private static final byte[] BOTH = ascii("both");
    private static final byte[] RECORDS = ascii("records");
    private static final byte[] INDEXES = ascii("indexes");
    private static final byte[] NO_VALUE = {};
    private static final int ARGS_EACH = 5;

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
        byte[][] shared = {null, ascii(buckets.newest(now)), ascii(buckets.oldest(now)),
                ascii(buckets.expiresAtMs(bucket)), historySize};
        List<Integer> all = IntStream.range(0, batch.size()).boxed().toList();
        if (!scripts.bySlot()) {
            // Standalone or Sentinel: each call stores and indexes, one round trip for the batch.
            List<List<Integer>> chunks = chunks(all, i -> null);
            return clashes(chunks, scripts.run(StoreScript.STORE_PREDICTIONS,
                    calls(batch, chunks, BOTH, shared, bucket, now)));
        }
        // Redis Cluster: a record and its entity's index are in different slots, so records first, by slot, then the
        // indexes of the ones stored, by slot.
        List<List<Integer>> recordChunks = chunks(all, i -> keys.record(batch.get(i).id(), bucket));
        List<Integer> clashes = clashes(recordChunks, scripts.run(StoreScript.STORE_PREDICTIONS,
                calls(batch, recordChunks, RECORDS, shared, bucket, now)));
        List<Integer> stored = all.stream().filter(i -> !clashes.contains(i)).toList();
        List<List<Integer>> indexChunks = chunks(stored, i -> keys.index(batch.get(i).entityKey(), bucket));
        if (!indexChunks.isEmpty()) {
            scripts.run(StoreScript.STORE_PREDICTIONS, calls(batch, indexChunks, INDEXES, shared, bucket, now));
        }
        return clashes;
    }

    private List<ScriptCalls.Call> calls(List<StoredRecord> batch, List<List<Integer>> chunks, byte[] mode,
            byte[][] shared, long bucket, long now) {
        shared[0] = mode;
        List<ScriptCalls.Call> calls = new ArrayList<>(chunks.size());
        for (List<Integer> chunk : chunks) {
            calls.add(call(chunk, shared, (i, out) -> {
                StoredRecord each = batch.get(i);
                if (mode != INDEXES) {
                    out.key(keys.record(each.id(), bucket));
                }
                if (mode != RECORDS) {
                    out.key(keys.index(each.entityKey(), bucket));
                }
                // An index-only call needs no value.
                out.args(mode == INDEXES ? NO_VALUE : StoredValue.encode(each, now), ascii(each.predictedAtMs()),
                        utf8(each.id()), utf8(each.entityKey()), ascii(each.indexTimeMs()));
            }));
        }
        return calls;
    }

    /** The batch positions the calls' answers name: predictions refused as clashes, in batch order. */
    private static List<Integer> clashes(List<List<Integer>> chunks, List<Object> answers) {
        List<Integer> clashes = new ArrayList<>();
        for (int call = 0; call < answers.size(); call++) {
            for (Object inChunk : (List<?>) answers.get(call)) {
                clashes.add(chunks.get(call).get(((Number) inChunk).intValue()));
            }
        }
        clashes.sort(null);
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

    /** A call's keys then arguments: the shared arguments first, then each prediction's, as the script reads them. */
    private static ScriptCalls.Call call(List<Integer> chunk, byte[][] shared, Each each) {
        int keysEach = shared[0] == BOTH ? 2 : 1;
        byte[][] keysAndArgs = new byte[keysEach * chunk.size() + shared.length + ARGS_EACH * chunk.size()][];
        Out out = new Out(keysAndArgs, keysEach * chunk.size());
        out.args(shared);
        for (Integer position : chunk) {
            each.add(position, out);
        }
        return new ScriptCalls.Call(keysAndArgs, keysEach * chunk.size());
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
        return ascii(Long.toString(value));
    }

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
