package io.streaminference.sink;

import io.streaminference.contract.Prediction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Writes one batch of predictions to Redis in a single pipeline and returns only when Redis has answered every
 * command (a failed command throws). Every write is idempotent, so replaying s2 rewrites identical data.
 */
class RedisPredictionWriter {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Expiration ttl;
    private final long ttlMillis;
    private final int historySize;

    RedisPredictionWriter(StringRedisTemplate redis, RedisKeys keys, Duration ttl, int historySize) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = Expiration.from(ttl);
        this.ttlMillis = ttl.toMillis();
        this.historySize = historySize;
    }

    void write(List<StoredPrediction> batch) {
        if (batch.isEmpty()) {
            return;
        }
        redis.executePipelined((RedisCallback<Object>) connection -> {
            Set<String> entities = new LinkedHashSet<>();
            for (StoredPrediction stored : batch) {
                Prediction prediction = stored.prediction();
                connection.stringCommands().set(keys.prediction(prediction.getEventId()), stored.bytes(), ttl,
                        SetOption.upsert());
                connection.zSetCommands().zAdd(keys.entityIndex(prediction.getEntityKey()),
                        prediction.getEventTimeMs(), prediction.getEventId().getBytes(StandardCharsets.UTF_8));
                entities.add(prediction.getEntityKey());
            }
            for (String entity : entities) {
                byte[] index = keys.entityIndex(entity);
                // Keep the newest historySize members: drop ranks 0 .. -(historySize + 1).
                connection.zSetCommands().zRemRange(index, 0, -(historySize + 1L));
                connection.keyCommands().pExpire(index, ttlMillis);
            }
            return null;
        });
    }

    /** A decoded prediction and the exact bytes to store (the s2 record value, not re-encoded). */
    record StoredPrediction(Prediction prediction, byte[] bytes) {
    }
}
