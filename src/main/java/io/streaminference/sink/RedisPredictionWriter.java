package io.streaminference.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Writes one batch of predictions (of events or of sessions, by its {@link RedisKeys.KeySpace}) to Redis in a single
 * pipeline of script calls, each storing and indexing up to {@value #PREDICTIONS_PER_CALL} predictions, and returns
 * only when Redis has answered every call (a failed call throws). Every write is idempotent — replaying s2 rewrites
 * identical data — a prediction never replaces a newer one for the same id, and an id stays with the first entity
 * stored under it; see
 * {@code redis/store-predictions.lua}, which also documents the call layout {@link Call} builds.
 */
class RedisPredictionWriter {

    /**
     * Redis runs a script without serving other clients; 100 predictions are about 400 writes, well under a
     * millisecond, so queries never wait long behind the sink.
     */
    static final int PREDICTIONS_PER_CALL = 100;

    private final StringRedisTemplate redis;
    private final RedisKeys.KeySpace keys;
    private final byte[] script;
    private final String scriptSha;
    private final byte[] ttlMillis;
    private final byte[] historySize;
    private final Clock clock = Clock.systemUTC();

    RedisPredictionWriter(StringRedisTemplate redis, RedisKeys.KeySpace keys, Duration ttl, int historySize) {
        this.redis = redis;
        this.keys = keys;
        this.script = readScript();
        this.scriptSha = sha1Hex(script);
        this.ttlMillis = ascii(ttl.toMillis());
        this.historySize = ascii(historySize);
    }

    /**
     * @return the positions in {@code batch} of predictions that were not stored because their event id is already
     *         stored under another entity (in batch order)
     */
    List<Integer> write(List<StoredRecord> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        try {
            return writePipelined(batch);
        } catch (DataAccessException e) {
            if (!missingScript(e)) {
                throw e;
            }
            // A restarted or flushed Redis has an empty script cache: load the script and write the batch again
            // (every write is idempotent, so commands that did run before the error are harmless to repeat).
            redis.execute((RedisCallback<String>) connection -> connection.scriptingCommands().scriptLoad(script));
            return writePipelined(batch);
        }
    }

    private List<Integer> writePipelined(List<StoredRecord> batch) {
        List<Object> answers = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (int from = 0; from < batch.size(); from += PREDICTIONS_PER_CALL) {
                Call call = new Call(batch.subList(from, Math.min(batch.size(), from + PREDICTIONS_PER_CALL)));
                // EVALSHA: the script body is not resent and rehashed for every call.
                connection.scriptingCommands().evalSha(scriptSha, ReturnType.MULTI, call.keyCount(), call.keysAndArgs);
            }
            return null;
        });
        List<Integer> clashes = new ArrayList<>();
        for (int call = 0; call < answers.size(); call++) {
            for (Object inChunk : (List<?>) answers.get(call)) {
                clashes.add(call * PREDICTIONS_PER_CALL + ((Number) inChunk).intValue());
            }
        }
        return clashes;
    }

    /** One script call's KEYS then ARGV, in the layout {@code store-predictions.lua} documents. */
    private final class Call {

        static final int KEYS_EACH = 2;
        static final int ARGS_EACH = 6;
        static final int FIRST_ARGS = 3;

        final byte[][] keysAndArgs;
        private final int predictions;

        Call(List<StoredRecord> chunk) {
            predictions = chunk.size();
            keysAndArgs = new byte[keyCount() + FIRST_ARGS + ARGS_EACH * predictions][];
            int key = 0;
            int arg = keyCount();
            keysAndArgs[arg++] = ttlMillis;
            keysAndArgs[arg++] = historySize;
            keysAndArgs[arg++] = ascii(clock.millis());
            for (StoredRecord each : chunk) {
                keysAndArgs[key++] = keys.record(each.id());
                keysAndArgs[key++] = keys.index(each.entityKey());
                keysAndArgs[arg++] = each.bytes();
                keysAndArgs[arg++] = ascii(each.predictedAtMs());
                keysAndArgs[arg++] = ascii(each.indexTimeMs());
                keysAndArgs[arg++] = utf8(each.id());
                keysAndArgs[arg++] = utf8(each.entityKey());
                keysAndArgs[arg++] = utf8(each.from());
            }
        }

        int keyCount() {
            return KEYS_EACH * predictions;
        }
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
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

}
