package io.streaminference.sink;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;

/**
 * {@link ScriptCalls} for Redis Cluster: each call (one slot's keys, as the writer groups them) goes to the node that
 * owns its slot over Lettuce's cluster connection, all of them in flight at once, and every answer is awaited within
 * the command timeout. Spring Data Redis does not pipeline on a Cluster, hence Lettuce's own asynchronous API; the
 * client (and its topology refresh, {@code spring.data.redis.lettuce.cluster.refresh.*}) is Spring Boot's.
 */
final class ClusterScriptCalls implements ScriptCalls, AutoCloseable {

    private final StatefulRedisClusterConnection<byte[], byte[]> connection;
    private final Duration timeout;

    ClusterScriptCalls(RedisClusterClient client, Duration timeout) {
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        this.connection.setTimeout(timeout);
        this.timeout = timeout;
    }

    @Override
    public List<Object> run(StoreScript script, List<Call> calls) {
        RedisAdvancedClusterAsyncCommands<byte[], byte[]> commands = connection.async();
        List<RedisFuture<Object>> answers = new ArrayList<>(calls.size());
        for (Call call : calls) {
            answers.add(commands.evalsha(script.sha(), ScriptOutputType.MULTI, keys(call), args(call)));
        }
        List<Object> results = new ArrayList<>(calls.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < calls.size(); i++) {
            Object answer;
            try {
                answer = await(answers.get(i), deadline);
            } catch (RedisSystemException e) {
                if (!PipelinedScriptCalls.missingScript(e)) {
                    throw e;
                }
                // That node's script cache is empty (restarted, or a replica just promoted): EVAL loads it there.
                Call call = calls.get(i);
                answer = await(commands.eval(script.body(), ScriptOutputType.MULTI, keys(call), args(call)),
                        System.nanoTime() + timeout.toNanos());
            }
            results.add(answer);
        }
        return results;
    }

    @Override
    public boolean bySlot() {
        return true;
    }

    @Override
    public void close() {
        connection.close();
    }

    private static Object await(RedisFuture<Object> answer, long deadline) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new QueryTimeoutException("Redis Cluster did not answer a store script call in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisSystemException("interrupted while waiting for Redis Cluster", e);
        } catch (ExecutionException e) {
            throw new RedisSystemException("Redis Cluster refused a store script call: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static byte[][] keys(Call call) {
        return Arrays.copyOfRange(call.keysAndArgs(), 0, call.keyCount());
    }

    private static byte[][] args(Call call) {
        return Arrays.copyOfRange(call.keysAndArgs(), call.keyCount(), call.keysAndArgs().length);
    }
}
