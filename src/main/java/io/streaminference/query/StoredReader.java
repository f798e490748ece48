package io.streaminference.query;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.sink.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads what the sink stored — event predictions or session predictions, by their {@link RedisKeys.KeySpace} —
 * through the shared key scheme: one by its id, or an entity's newest.
 *
 * @param <M> the stored message
 */
final class StoredReader<M> {

    private final StringRedisTemplate redis;
    private final RedisKeys.KeySpace keys;
    private final Parser<M> parser;
    private final Function<M, String> entityOf;

    StoredReader(StringRedisTemplate redis, RedisKeys.KeySpace keys, Parser<M> parser, Function<M, String> entityOf) {
        this.redis = redis;
        this.keys = keys;
        this.parser = parser;
        this.entityOf = entityOf;
    }

    Optional<M> find(String id) {
        byte[] value = redis.execute((RedisCallback<byte[]>) c -> c.hashCommands().hGet(keys.record(id),
                RedisKeys.predictionField()));
        return Optional.ofNullable(value).map(this::decode);
    }

    /**
     * @return up to {@code limit} records, newest first by their index time; expired ones are skipped, and so is any
     *         stored under another entity (the sink never indexes one, but hashes written before it kept the entity
     *         could)
     */
    List<M> newestForEntity(String entityKey, int limit) {
        List<byte[]> values = redis.execute((RedisCallback<List<byte[]>>) c -> newest(c, entityKey, limit));
        List<M> found = new ArrayList<>();
        for (byte[] value : values == null ? List.<byte[]>of() : values) {
            if (value != null) {
                M record = decode(value);
                if (entityOf.apply(record).equals(entityKey)) {
                    found.add(record);
                }
            }
        }
        return found;
    }

    private List<byte[]> newest(RedisConnection connection, String entityKey, int limit) {
        Set<byte[]> ids = connection.zSetCommands().zRevRange(keys.index(entityKey), 0, limit - 1L);
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        // One round trip for all of them; a record that expired before its index entry reads as null.
        connection.openPipeline();
        for (byte[] id : ids) {
            connection.hashCommands().hGet(keys.record(new String(id, StandardCharsets.UTF_8)),
                    RedisKeys.predictionField());
        }
        List<byte[]> values = new ArrayList<>();
        for (Object value : connection.closePipeline()) {
            values.add((byte[]) value);
        }
        return values;
    }

    private M decode(byte[] value) {
        try {
            return parser.parse(value);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptPredictionException(e);
        }
    }

    @FunctionalInterface
    interface Parser<M> {
        M parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    /** A stored value that does not read as what the sink stores: someone else wrote under our prefix. */
    static final class CorruptPredictionException extends RuntimeException {
        CorruptPredictionException(Throwable cause) {
            super("stored prediction is not what the sink stores", cause);
        }
    }
}
