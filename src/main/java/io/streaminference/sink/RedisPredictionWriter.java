package io.streaminference.sink;

import io.streaminference.contract.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Writes one batch of predictions to Redis in a single pipeline of script calls, each storing and indexing up to
 * {@value #PREDICTIONS_PER_CALL} predictions, and returns only when Redis has answered every call (a failed call
 * throws). Every write is idempotent — replaying s2 rewrites identical data — and a prediction never replaces a
 * newer one for the same event (a later {@code predicted_at}); see {@code redis/store-predictions.lua}.
 */
class RedisPredictionWriter {

    /**
     * Redis runs a script without serving other clients; 100 predictions are about 400 writes, well under a
     * millisecond, so queries never wait long behind the sink.
     */
    static final int PREDICTIONS_PER_CALL = 100;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final byte[] script;
    private final String scriptSha;
    private final byte[] ttlMillis;
    private final byte[] historySize;

    RedisPredictionWriter(StringRedisTemplate redis, RedisKeys keys, Duration ttl, int historySize) {
        this.redis = redis;
        this.keys = keys;
        this.script = readScript();
        this.scriptSha = sha1Hex(script);
        this.ttlMillis = ascii(ttl.toMillis());
        this.historySize = ascii(historySize);
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
            for (int from = 0; from < batch.size(); from += PREDICTIONS_PER_CALL) {
                List<StoredPrediction> chunk = batch.subList(from, Math.min(batch.size(), from + PREDICTIONS_PER_CALL));
                // EVALSHA: the script body is not resent and rehashed for every call.
                connection.scriptingCommands().evalSha(scriptSha, ReturnType.INTEGER, 2 * chunk.size(),
                        keysAndArgs(chunk));
            }
            return null;
        });
    }

    /** The script's KEYS (prediction hash and entity index per prediction), then its ARGV; layout in the script. */
    private byte[][] keysAndArgs(List<StoredPrediction> chunk) {
        int n = chunk.size();
        byte[][] keysAndArgs = new byte[2 * n + 2 + 4 * n][];
        keysAndArgs[2 * n] = ttlMillis;
        keysAndArgs[2 * n + 1] = historySize;
        for (int i = 0; i < n; i++) {
            Prediction prediction = chunk.get(i).prediction();
            keysAndArgs[2 * i] = keys.prediction(prediction.getEventId());
            keysAndArgs[2 * i + 1] = keys.entityIndex(prediction.getEntityKey());
            int arg = 2 * n + 2 + 4 * i;
            keysAndArgs[arg] = chunk.get(i).bytes();
            keysAndArgs[arg + 1] = ascii(prediction.getPredictedAtMs());
            keysAndArgs[arg + 2] = ascii(prediction.getEventTimeMs());
            keysAndArgs[arg + 3] = prediction.getEventId().getBytes(StandardCharsets.UTF_8);
        }
        return keysAndArgs;
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
        try (InputStream in = RedisPredictionWriter.class.getResourceAsStream("/redis/store-predictions.lua")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("redis/store-predictions.lua missing from the classpath", e);
        }
    }

    /** A decoded prediction and the exact bytes to store (the s2 record value, not re-encoded). */
    record StoredPrediction(Prediction prediction, byte[] bytes) {
    }
}
