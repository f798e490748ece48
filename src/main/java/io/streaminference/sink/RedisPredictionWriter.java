package io.streaminference.sink;

import io.streaminference.contract.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Writes one batch of predictions to Redis in a single pipeline — per prediction one script call that stores and
 * indexes it, per entity one trim and one expire of its index — and returns only when Redis has answered every
 * command (a failed command throws). Every write is idempotent — replaying s2 rewrites identical data — and a
 * prediction never replaces a newer one for the same event (a later {@code predicted_at}); see
 * {@code redis/store-prediction.lua}.
 */
class RedisPredictionWriter {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final byte[] script;
    private final String scriptSha;
    private final byte[] ttlMillis;
    private final long ttl;
    private final int historySize;

    RedisPredictionWriter(StringRedisTemplate redis, RedisKeys keys, Duration ttl, int historySize) {
        this.redis = redis;
        this.keys = keys;
        this.script = readScript();
        this.scriptSha = sha1Hex(script);
        this.ttl = ttl.toMillis();
        this.ttlMillis = ascii(ttl.toMillis());
        this.historySize = historySize;
    }

    void write(List<StoredPrediction> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            writePipelined(batch);
        } catch (DataAccessException e) {
            if (!missingScript(e)) {
                throw e;
            }
            // A restarted or flushed Redis has an empty script cache: load the script and write the batch again
            // (every write is idempotent, so commands that did run before the error are harmless to repeat).
            redis.execute((RedisCallback<String>) connection -> connection.scriptingCommands().scriptLoad(script));
            writePipelined(batch);
        }
    }

    private void writePipelined(List<StoredPrediction> batch) {
        redis.executePipelined((RedisCallback<Object>) connection -> {
            Set<String> entities = new LinkedHashSet<>();
            for (StoredPrediction stored : batch) {
                Prediction prediction = stored.prediction();
                // EVALSHA: the script body is not resent and rehashed for every record.
                connection.scriptingCommands().evalSha(scriptSha, ReturnType.INTEGER, 2,
                        keys.prediction(prediction.getEventId()), keys.entityIndex(prediction.getEntityKey()),
                        stored.bytes(), ascii(prediction.getPredictedAtMs()), ttlMillis,
                        ascii(prediction.getEventTimeMs()), prediction.getEventId().getBytes(StandardCharsets.UTF_8));
                entities.add(prediction.getEntityKey());
            }
            for (String entity : entities) {
                byte[] index = keys.entityIndex(entity);
                // Keep the newest historySize members: drop ranks 0 .. -(historySize + 1).
                connection.zSetCommands().zRemRange(index, 0, -(historySize + 1L));
                connection.keyCommands().pExpire(index, ttl);
            }
            return null;
        });
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean missingScript(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }

    private static byte[] readScript() {
        try (InputStream in = RedisPredictionWriter.class.getResourceAsStream("/redis/store-prediction.lua")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("redis/store-prediction.lua missing from the classpath", e);
        }
    }

    /** A decoded prediction and the exact bytes to store (the s2 record value, not re-encoded). */
    record StoredPrediction(Prediction prediction, byte[] bytes) {
    }
}
