package io.streaminference.sink;

import io.streaminference.contract.Prediction;
import io.streaminference.contract.SourcePosition;
import io.streaminference.query.StoreReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The sink's Redis store on its own, for bench/redis-store.sh ({@code LocalStack redis-store}): the real {@link RedisPredictionWriter} stores
 * {@code count} predictions of realistic size (about 3.4 per entity, as the demo traffic has) in batches of 500 as
 * fast as one thread can, and every million reports used_memory per stored prediction, Redis CPU per prediction and
 * the slowest batch; then it times the API's two queries. The slowest batch around 2^22 and 2^23 predictions is the
 * stall the store's layout causes as it grows.
 */
public final class RedisStoreBench {

    private static final int BATCH = 500;
    private static final int REPORT_EVERY = 1 << 20;

    /** Run through {@code LocalStack redis-store} (the test sources have one main class, the run command's). */
    public static void run(int port, int count) {
        // Pooled, as the app's (application.yml): a pipeline runs on a dedicated connection.
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1",
                port), LettucePoolingClientConfiguration.builder().poolConfig(new GenericObjectPoolConfig<>()).build());
        factory.afterPropertiesSet();
        factory.start();
        StringRedisTemplate redis = new StringRedisTemplate(factory);
        RedisKeys keys = new RedisKeys("si:");
        StoreBuckets buckets = new StoreBuckets(Duration.ofDays(7), Duration.ofDays(1));
        RedisPredictionWriter writer = new RedisPredictionWriter(new PipelinedScriptCalls(redis), keys.events(), buckets, 100);
        int entities = Math.max(1, (int) (count / 3.4));
        long emptyMemory = info(redis, "used_memory");
        double cpu0 = cpuSeconds(redis);
        long start = System.currentTimeMillis();
        SplittableRandom random = new SplittableRandom(7);
        double worstMs = 0;
        double worstInWindow = 0;
        double cpuWindow = cpu0;
        long windowStart = System.nanoTime();
        int windowFrom = 0;
        List<double[]> powers = new ArrayList<>();
        System.out.println("stored,keys,bytes_per_prediction,redis_cpu_us_per_prediction,slowest_batch_ms,"
                + "predictions_per_s");
        for (int stored = 0; stored < count; ) {
            List<StoredRecord> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH && stored + i < count; i++) {
                batch.add(record(stored + i, "u-" + Integer.toString(random.nextInt(entities), 36), start));
            }
            long t0 = System.nanoTime();
            writer.write(batch);
            double ms = (System.nanoTime() - t0) / 1e6;
            int before = stored;
            stored += batch.size();
            worstMs = Math.max(worstMs, ms);
            worstInWindow = Math.max(worstInWindow, ms);
            for (int power = 22; power <= 23; power++) {
                long mark = 1L << power;
                // The batches within 2% of the mark on either side: where the key and expiry tables grow.
                if (stored >= mark * 0.98 && before <= mark * 1.02) {
                    powers.add(new double[] {power, ms});
                }
            }
            if (stored % REPORT_EVERY < BATCH || stored == count) {
                double cpu = cpuSeconds(redis);
                long now = System.nanoTime();
                System.out.printf("%d,%d,%.0f,%.1f,%.1f,%.0f%n", stored, dbSize(redis),
                        (info(redis, "used_memory") - emptyMemory) / (double) stored,
                        (cpu - cpuWindow) * 1e6 / (stored - windowFrom), worstInWindow,
                        (stored - windowFrom) / ((now - windowStart) / 1e9));
                cpuWindow = cpu;
                windowStart = now;
                windowFrom = stored;
                worstInWindow = 0;
            }
        }
        for (int power = 22; power <= 23; power++) {
            int p = power;
            double worst = powers.stream().filter(a -> a[0] == p).mapToDouble(a -> a[1]).max().orElse(Double.NaN);
            System.out.printf("slowest batch within 2%% of 2^%d predictions: %.1f ms%n", power, worst);
        }
        System.out.printf("slowest batch overall: %.1f ms; Redis CPU %.1f us per prediction overall%n", worstMs,
                (cpuSeconds(redis) - cpu0) * 1e6 / count);
        reads(new StoreReads(redis, keys, buckets), count, entities);
        factory.destroy();
    }

    private static void reads(StoreReads reads, int count, int entities) {
        SplittableRandom random = new SplittableRandom(11);
        int samples = 20_000;
        for (int i = 0; i < samples / 4; i++) {
            // Untimed: the reads' code paths compiled before they are timed.
            reads.byId("demo-" + Integer.toString(random.nextInt(count), 36));
            reads.newestForEntity("u-" + Integer.toString(random.nextInt(entities), 36), 20);
        }
        long[] byId = new long[samples];
        long[] byEntity = new long[samples];
        int found = 0;
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            found += reads.byId("demo-" + Integer.toString(random.nextInt(count), 36)).isPresent() ? 1 : 0;
            byId[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            found += reads.newestForEntity("u-" + Integer.toString(random.nextInt(entities), 36), 20).isEmpty() ? 0 : 1;
            byEntity[i] = System.nanoTime() - t0;
        }
        System.out.printf("query by event id: p50 %s, p99 %s us; by entity (newest 20): p50 %s, p99 %s us (one "
                + "client thread, after %d of each untimed); %d of %d found%n", pct(byId, 0.5), pct(byId, 0.99),
                pct(byEntity, 0.5), pct(byEntity, 0.99), samples / 4,
                found, 2 * samples);
    }

    private static String pct(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.0f", sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e3);
    }

    /** A prediction shaped like the pipeline's for the demo model: three scores, a label, two source positions. */
    private static StoredRecord record(int n, String entity, long start) {
        String id = "demo-" + Integer.toString(n, 36);
        long eventTime = start + n;
        Prediction prediction = Prediction.newBuilder().setEventId(id).setEntityKey(entity)
                .setEventTimeMs(eventTime).addScores(0.91f).addScores(0.06f).addScores(0.03f).setLabel("human")
                .setModelName("clickstream-bot").setModelVersion(3).setIngestedAtMs(eventTime + 3)
                .setPreprocessedAtMs(eventTime + 9).setPredictedAtMs(eventTime + 41)
                .setSource(SourcePosition.newBuilder().setTopic("s0").setPartition(n % 3).setOffset(n / 3))
                .setFeaturesSource(SourcePosition.newBuilder().setTopic("s1").setPartition(n % 3).setOffset(n / 3))
                .build();
        return new StoredRecord(id, entity, eventTime, eventTime + 41, eventTime, eventTime + 3,
                prediction.toByteArray(), "s2:" + (n % 3) + ":" + (n / 3));
    }

    private static long dbSize(StringRedisTemplate redis) {
        Long size = redis.execute((RedisCallback<Long>) c -> c.serverCommands().dbSize());
        return size == null ? 0 : size;
    }

    private static double cpuSeconds(StringRedisTemplate redis) {
        Properties cpu = redis.execute((RedisCallback<Properties>) c -> c.serverCommands().info("cpu"));
        return Double.parseDouble(cpu.getProperty("used_cpu_sys")) + Double.parseDouble(cpu.getProperty("used_cpu_user"));
    }

    private static long info(StringRedisTemplate redis, String field) {
        Properties memory = redis.execute((RedisCallback<Properties>) c -> c.serverCommands().info("memory"));
        return Long.parseLong(memory.getProperty(field));
    }
}
