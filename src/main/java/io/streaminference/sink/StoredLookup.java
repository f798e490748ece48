package io.streaminference.sink;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.springframework.data.redis.connection.zset.Tuple;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads what the sink stored in the bucketed layout ({@link RedisKeys}, {@link StoreBuckets}) — by id, or an entity's
 * newest — for the query API and the tests: an id's record is in the newest live bucket that holds it; an entity's
 * ids are gathered from its index in every live bucket. Each is one call of {@code redis/read-buckets.lua} on the
 * shard's buckets (one slot, so it works on a Cluster too), many of them in one round trip. With
 * {@code readLegacyKeys} the keys of the layout before buckets are read too, where the buckets have nothing.
 */
public final class StoredLookup {

    private static final byte[][] LEGACY_FIELDS = {{'p'}, {'t'}, {'e'}, {'w'}, {'o'}};

    private final ScriptCalls scripts;
    private final StringRedisTemplate redis;
    private final RedisKeys.KeySpace keys;
    private final StoreBuckets buckets;
    private final boolean readLegacyKeys;
    private final Clock clock;

    /** For tests and tools: the connection's own script calls, with a 2 s bound on each round trip. */
    public StoredLookup(StringRedisTemplate redis, RedisKeys.KeySpace keys, StoreBuckets buckets,
            boolean readLegacyKeys) {
        this(ScriptCalls.of(redis, Duration.ofSeconds(2)), redis, keys, buckets, readLegacyKeys, Clock.systemUTC());
    }

    StoredLookup(ScriptCalls scripts, StringRedisTemplate redis, RedisKeys.KeySpace keys, StoreBuckets buckets,
            boolean readLegacyKeys, Clock clock) {
        this.scripts = scripts;
        this.redis = redis;
        this.keys = keys;
        this.buckets = buckets;
        this.readLegacyKeys = readLegacyKeys;
        this.clock = clock;
    }

    public Optional<StoredValue> find(String id) {
        return findAll(List.of(id)).get(0);
    }

    /** @return each id's stored record, empty where none is, in the order given */
    public List<Optional<StoredValue>> findAll(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<ScriptCalls.Call> calls = new ArrayList<>(ids.size());
        for (String id : ids) {
            calls.add(bucketsCall(id, bucket -> keys.record(id, bucket), now));
        }
        List<Object> answers = scripts.run(StoreScript.READ_BUCKETS, calls);
        List<Optional<StoredValue>> found = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Optional<StoredValue> stored = first((List<?>) answers.get(i));
            found.add(stored.isEmpty() && readLegacyKeys ? legacy(ids.get(i)) : stored);
        }
        return found;
    }

    /**
     * @return up to {@code limit} records of the entity, newest first by index time; expired ones are skipped, and so
     *         is any stored under another entity (the sink never indexes one, but keys written before the entity was
     *         kept could)
     */
    public List<StoredValue> newest(String entityKey, int limit) {
        Map<String, Long> times = new HashMap<>();
        List<Object> answer = scripts.run(StoreScript.READ_BUCKETS,
                List.of(bucketsCall(entityKey, bucket -> keys.index(entityKey, bucket), clock.millis())));
        for (Object entries : (List<?>) answer.get(0)) {
            if (entries instanceof byte[] bytes) {
                parseEntries(new String(bytes, StandardCharsets.UTF_8), times);
            }
        }
        if (readLegacyKeys) {
            Set<Tuple> legacy = redis.execute((RedisCallback<Set<Tuple>>) connection -> connection.zSetCommands()
                    .zRevRangeWithScores(keys.legacyIndex(entityKey), 0, limit - 1L));
            for (Tuple scored : legacy == null ? Set.<Tuple>of() : legacy) {
                times.merge(new String(scored.getValue(), StandardCharsets.UTF_8), scored.getScore().longValue(),
                        Math::max);
            }
        }
        List<String> ids = times.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(Map.Entry::getKey).toList();
        List<StoredValue> records = new ArrayList<>();
        for (Optional<StoredValue> record : findAll(ids)) {
            record.filter(r -> r.entityKey().isEmpty() || r.entityKey().equals(entityKey)).ifPresent(records::add);
        }
        return records;
    }

    /** One read of {@code field} in every live bucket of its shard, newest first. */
    private ScriptCalls.Call bucketsCall(String field, LongFunction<byte[]> keyOf, long now) {
        long newest = buckets.newest(now);
        int count = (int) (newest - buckets.oldest(now) + 1);
        byte[][] keysAndArgs = new byte[count + 1][];
        for (int i = 0; i < count; i++) {
            keysAndArgs[i] = keyOf.apply(newest - i);
        }
        keysAndArgs[count] = field.getBytes(StandardCharsets.UTF_8);
        return new ScriptCalls.Call(keysAndArgs, count);
    }

    /** {@code <count>|} then {@code ' <id>/<time>'} per id, as the store's script writes an index entry. */
    static void parseEntries(String entries, Map<String, Long> times) {
        int at = entries.indexOf('|') + 1;
        while (at < entries.length()) {
            int slash = entries.indexOf('/', at);
            int next = entries.indexOf(' ', slash);
            int end = next < 0 ? entries.length() : next;
            times.merge(entries.substring(at + 1, slash), Long.parseLong(entries.substring(slash + 1, end)), Math::max);
            at = end;
        }
    }

    private static Optional<StoredValue> first(List<?> values) {
        for (Object value : values) {
            if (value instanceof byte[] bytes) {
                return Optional.of(StoredValue.decode(bytes));
            }
        }
        return Optional.empty();
    }

    /** A hash of the layout before buckets: fields p, t, e (absent in the oldest), w, o. */
    private Optional<StoredValue> legacy(String id) {
        List<byte[]> fields = redis.execute((RedisCallback<List<byte[]>>) connection -> connection.hashCommands()
                .hMGet(keys.legacyRecord(id), LEGACY_FIELDS));
        if (fields == null || fields.isEmpty() || fields.get(0) == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredValue(number(fields.get(1)), text(fields.get(2)), number(fields.get(3)),
                text(fields.get(4)), fields.get(0)));
    }

    private static long number(byte[] field) {
        return field == null ? 0 : Long.parseLong(text(field));
    }

    private static String text(byte[] field) {
        return field == null ? "" : new String(field, StandardCharsets.UTF_8);
    }
}
