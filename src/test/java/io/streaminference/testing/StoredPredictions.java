package io.streaminference.testing;

import io.lettuce.core.RedisCommandTimeoutException;
import io.streaminference.contract.Prediction;
import io.streaminference.sink.RedisKeys;
import io.streaminference.sink.StoreBuckets;
import io.streaminference.sink.StoredLookup;
import io.streaminference.sink.StoredValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Reads what the sink stored, for tests: one pipelined round trip for many event ids. */
public final class StoredPredictions {

    /** The buckets of application.yml's defaults (ttl 7d, bucket-period 1d), which every test runs with. */
    public static final StoreBuckets BUCKETS = new StoreBuckets(Duration.ofDays(7), Duration.ofDays(1));

    private final StoredLookup lookup;

    public StoredPredictions(StringRedisTemplate redis, RedisKeys keys) {
        this.lookup = new StoredLookup(redis, keys.events(), BUCKETS, false);
    }

    /** @return the stored {@code Prediction} per event id, null where none is stored, in the order given */
    public List<Prediction> read(List<String> eventIds) {
        return each(eventIds, stored -> parse(stored.message()));
    }

    /** When the sink wrote each one (epoch ms), null where none is stored. */
    public List<Long> writtenAt(List<String> eventIds) {
        return each(eventIds, StoredValue::storedAtMs);
    }

    /**
     * For polling: false, not an error, while a read times out — on a starved test JVM (app, broker and model server
     * in one process) the 2 s command timeout was hit while the app started, which says nothing about the sink.
     */
    public boolean allStored(List<String> eventIds) {
        try {
            return read(eventIds).stream().allMatch(Objects::nonNull);
        } catch (DataAccessException e) {
            if (e.contains(RedisCommandTimeoutException.class)) {
                return false;
            }
            throw e;
        }
    }

    /** The ids in an entity's index, newest first. */
    public List<String> indexed(String entityKey) {
        return lookup.newest(entityKey, Integer.MAX_VALUE).stream().map(stored -> parse(stored.message()).getEventId())
                .toList();
    }

    private <T> List<T> each(List<String> eventIds, Function<StoredValue, T> map) {
        List<T> values = new ArrayList<>(eventIds.size());
        for (Optional<StoredValue> stored : lookup.findAll(eventIds)) {
            values.add(stored.map(map).orElse(null));
        }
        return values;
    }

    private static Prediction parse(byte[] value) {
        try {
            return Prediction.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("stored value is not a Prediction", e);
        }
    }
}
