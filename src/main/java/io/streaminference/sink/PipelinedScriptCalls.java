package io.streaminference.sink;

import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/** {@link ScriptCalls} for a standalone or Sentinel Redis: one pipeline of EVALSHA calls on one connection. */
final class PipelinedScriptCalls implements ScriptCalls {

    private final StringRedisTemplate redis;

    PipelinedScriptCalls(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public List<Object> run(StoreScript script, List<Call> calls) {
        try {
            return pipelined(script, calls);
        } catch (DataAccessException e) {
            if (!missingScript(e)) {
                throw e;
            }
            // A restarted or flushed Redis has an empty script cache: load the script and run the calls again
            // (the store's scripts are idempotent, so calls that did run before the error are harmless to repeat).
            redis.execute((RedisCallback<String>) connection -> connection.scriptingCommands().scriptLoad(script.body()));
            return pipelined(script, calls);
        }
    }

    @Override
    public boolean bySlot() {
        return false;
    }

    private List<Object> pipelined(StoreScript script, List<Call> calls) {
        return redis.executePipelined((RedisCallback<Object>) connection -> {
            for (Call call : calls) {
                // EVALSHA: the script body is not resent and rehashed for every call.
                connection.scriptingCommands().evalSha(script.sha(), ReturnType.MULTI, call.keyCount(),
                        call.keysAndArgs());
            }
            return null;
        }, null); // raw answers: the store's values are bytes, not the template's strings
    }

    static boolean missingScript(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }
}
