package io.streaminference.testing;

import io.lettuce.core.RedisCommandTimeoutException;
import io.streaminference.contract.Prediction;
import io.streaminference.sink.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Reads what the sink stored, for tests: one pipelined round trip for many event ids. */
public final class StoredPredictions {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    public StoredPredictions(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** @return the stored {@code Prediction} per event id, null where none is stored, in the order given */
    public List<Prediction> read(List<String> eventIds) {
        return hGetEach(eventIds, RedisKeys.predictionField(), StoredPredictions::parse);
    }

    /** When the sink wrote each one (its hash's field {@code w}, epoch ms), null where none is stored. */
    public List<Long> writtenAt(List<String> eventIds) {
        return hGetEach(eventIds, new byte[] {'w'},
                value -> Long.valueOf(new String(value, java.nio.charset.StandardCharsets.US_ASCII)));
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

    /** One field of each event's hash, in one pipeline, mapped; null where none is stored. */
    private <T> List<T> hGetEach(List<String> eventIds, byte[] field, Function<byte[], T> map) {
        List<Object> raw = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (String id : eventIds) {
                connection.hashCommands().hGet(keys.prediction(id), field);
            }
            return null;
        }, null);
        List<T> values = new ArrayList<>(raw.size());
        for (Object value : raw) {
            values.add(value == null ? null : map.apply((byte[]) value));
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
