package io.streaminference.sink;

import io.streaminference.contract.Prediction;
import io.streaminference.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** One sink batch into a real redis-server on loopback: the pipelined newer-wins writes and entity-index updates. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisWriteBenchmark {

    @Param({"1", "500"})
    int batch;

    private TestRedis redis;
    private LettuceConnectionFactory connections;
    private RedisPredictionWriter writer;
    private List<StoredRecord> predictions;

    @Setup(Level.Trial)
    public void start() {
        redis = TestRedis.start();
        connections = TestRedis.connect(redis.port());
        writer = new RedisPredictionWriter(new PipelinedScriptCalls(new StringRedisTemplate(connections)),
                new RedisKeys("si:").events(), new StoreBuckets(Duration.ofDays(7), Duration.ofDays(1)), 100);
        predictions = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            Prediction prediction = Prediction.newBuilder().setEventId("bench-" + i).setEntityKey("u-" + (i % 50))
                    .addScores(0.5f).setEventTimeMs(1_767_225_600_000L + i).setPredictedAtMs(1_767_225_600_100L + i)
                    .build();
            predictions.add(StoredInput.EVENTS.stored(prediction, prediction.toByteArray()));
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        connections.destroy();
        redis.stop();
    }

    @Benchmark
    public void writeBatch() {
        writer.write(predictions);
    }
}
