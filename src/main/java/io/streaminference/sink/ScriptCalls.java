package io.streaminference.sink;

import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Runs many calls of one store script and waits for every answer: pipelined on one connection to a standalone or
 * Sentinel Redis, or spread over the nodes of a Cluster.
 */
interface ScriptCalls {

    /** One call: its keys, then its arguments, and how many of them are keys. */
    record Call(byte[][] keysAndArgs, int keyCount) {
    }

    /** @return each call's answer, in call order; a failed call throws */
    List<Object> run(StoreScript script, List<Call> calls);

    /** Whether each call must hold the keys of one hash slot only (Redis Cluster). */
    boolean bySlot();

    /** The calls the connection needs: Lettuce's cluster API where Spring Boot connected to a Cluster. */
    static ScriptCalls of(StringRedisTemplate redis, Duration timeout) {
        if (redis.getConnectionFactory() instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware()) {
            return new ClusterScriptCalls((RedisClusterClient) lettuce.getRequiredNativeClient(), timeout);
        }
        return new PipelinedScriptCalls(redis);
    }
}
