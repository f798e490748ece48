package io.streaminference.testing;

import io.lettuce.core.RedisCommandTimeoutException;
import io.streaminference.contract.Prediction;
import io.streaminference.sink.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
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
        List<Object> raw = redis.executePipelined((RedisCallback<Object>) connection -> {
            hGetEach(connection, eventIds);
            return null;
        }, null);
        List<Prediction> predictions = new ArrayList<>(raw.size());
        for (Object value : raw) {
            predictions.add(value == null ? null : parse((byte[]) value));
        }
        return predictions;
    }

    /** When the sink wrote each one (its hash's field {@code w}, epoch ms), null where none is stored. */
    public List<Long> writtenAt(List<String> eventIds) {
        List<Object> raw = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (String id : eventIds) {
                connection.hashCommands().hGet(keys.prediction(id), new byte[] {'w'});
            }
            return null;
        }, null);
        List<Long> times = new ArrayList<>(raw.size());
        for (Object value : raw) {
            times.add(value == null ? null : Long.valueOf(new String((byte[]) value,
                    java.nio.charset.StandardCharsets.US_ASCII)));
        }
        return times;
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

    private void hGetEach(RedisConnection connection, List<String> eventIds) {
        for (String id : eventIds) {
            connection.hashCommands().hGet(keys.prediction(id), RedisKeys.predictionField());
        }
    }

    private static Prediction parse(byte[] value) {
        try {
            return Prediction.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("stored value is not a Prediction", e);
        }
    }
}
