package io.streaminference.sink;

import java.nio.charset.StandardCharsets;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;

/**
 * The sink breaker's probe: writes a short-lived key under the pipeline's prefix. A PING would call a Redis healthy
 * that refuses writes — out of memory under {@code maxmemory-policy noeviction}, or a read-only replica after a
 * failover — which is exactly what made the sink fail.
 */
final class RedisWriteProbe {

    private static final long EXPIRY_SECONDS = 60;

    private final StringRedisTemplate redis;
    private final byte[] key;

    RedisWriteProbe(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.key = keys.probe();
    }

    boolean writable() {
        byte[] value = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
        Boolean written = redis.execute((RedisCallback<Boolean>) connection -> connection.stringCommands()
                .set(key, value, Expiration.seconds(EXPIRY_SECONDS), SetOption.upsert()));
        return Boolean.TRUE.equals(written);
    }
}
