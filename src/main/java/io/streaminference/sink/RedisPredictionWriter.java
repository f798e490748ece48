package io.streaminference.sink;

import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
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
        Round round = new Round(batch, bucket, now);
        List<Integer> all = IntStream.range(0, batch.size()).boxed().toList();
        if (!scripts.bySlot()) {
            // Standalone or Sentinel: each call stores and indexes, one round trip for the batch.
            return round.run(BOTH, chunks(all, i -> 0));
        }
        // Redis Cluster: a record and its entity's index are in different slots, so records first, by slot, then the
        // indexes of the ones stored, by slot.
        List<Integer> clashes = round.run(RECORDS,
                chunks(all, i -> SlotHash.getSlot(keys.record(batch.get(i).id(), bucket))));
        List<Integer> stored = all.stream().filter(i -> !clashes.contains(i)).toList();
        if (!stored.isEmpty()) {
            round.run(INDEXES, chunks(stored, i -> SlotHash.getSlot(keys.index(batch.get(i).entityKey(), bucket))));
        }
        return clashes;
    }

    /** Positions in calls of at most {@value #PREDICTIONS_PER_CALL}, each of one group (a hash slot, on a Cluster). */
    private static List<List<Integer>> chunks(List<Integer> positions, IntUnaryOperator groupOf) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (Integer position : positions) {
            groups.computeIfAbsent(groupOf.applyAsInt(position), g -> new ArrayList<>()).add(position);
        }
        List<List<Integer>> chunks = new ArrayList<>();
        for (List<Integer> group : groups.values()) {
            for (int from = 0; from < group.size(); from += PREDICTIONS_PER_CALL) {
                chunks.add(group.subList(from, Math.min(group.size(), from + PREDICTIONS_PER_CALL)));
            }
        }
        return chunks;
    }

    /** One round of script calls over a batch, all in one bucket at one time, in the layout the script reads. */
    private final class Round {

        private final List<StoredRecord> batch;
        private final long bucket;
        private final long now;
        private final byte[][] shared;

        Round(List<StoredRecord> batch, long bucket, long now) {
            this.batch = batch;
            this.bucket = bucket;
            this.now = now;
            this.shared = new byte[][] {ascii(buckets.newest(now)), ascii(buckets.oldest(now)),
                    ascii(buckets.expiresAtMs(bucket)), historySize};
        }

        /** @return the batch positions the script refused as clashes, in batch order */
        List<Integer> run(byte[] mode, List<List<Integer>> chunks) {
            List<ScriptCalls.Call> calls = new ArrayList<>(chunks.size());
            for (List<Integer> chunk : chunks) {
                calls.add(call(mode, chunk));
            }
            List<Object> answers = scripts.run(StoreScript.STORE_PREDICTIONS, calls);
            List<Integer> clashes = new ArrayList<>();
            for (int call = 0; call < answers.size(); call++) {
                for (Object inChunk : (List<?>) answers.get(call)) {
                    clashes.add(chunks.get(call).get(((Number) inChunk).intValue()));
                }
            }
            clashes.sort(null);
            return clashes;
        }

        /** KEYS (record and/or index per prediction), then the mode, the shared arguments and each prediction's. */
        private ScriptCalls.Call call(byte[] mode, List<Integer> chunk) {
            int keyCount = (mode == BOTH ? 2 : 1) * chunk.size();
            byte[][] keysAndArgs = new byte[keyCount + 1 + shared.length + ARGS_EACH * chunk.size()][];
            int key = 0;
            int arg = keyCount;
            keysAndArgs[arg++] = mode;
            for (byte[] each : shared) {
                keysAndArgs[arg++] = each;
            }
            for (int position : chunk) {
                StoredRecord each = batch.get(position);
                if (mode != INDEXES) {
                    keysAndArgs[key++] = keys.record(each.id(), bucket);
                }
                if (mode != RECORDS) {
                    keysAndArgs[key++] = keys.index(each.entityKey(), bucket);
                }
                // An index-only call needs no value.
                keysAndArgs[arg++] = mode == INDEXES ? NO_VALUE : StoredValue.encode(each, now);
                keysAndArgs[arg++] = ascii(each.predictedAtMs());
                keysAndArgs[arg++] = utf8(each.id());
                keysAndArgs[arg++] = utf8(each.entityKey());
                keysAndArgs[arg++] = ascii(each.indexTimeMs());
            }
            return new ScriptCalls.Call(keysAndArgs, keyCount);
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
