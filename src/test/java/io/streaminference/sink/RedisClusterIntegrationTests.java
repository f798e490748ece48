package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.contract.Prediction;
import io.streaminference.testing.TestRedisCluster;
import io.streaminference.topics.TopicsProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The store on a real Redis Cluster — three masters with a replica each, redis-server processes on loopback — reached
 * the way the app reaches it, from {@code spring.data.redis.cluster.*} through Spring Boot's Lettuce cluster client:
 * every call holds one slot's keys, the shards spread over every master, both queries work, and a master's failover
 * in the middle of the writes loses nothing (the batches that fail meanwhile are retried, as the sink retries them).
 */
class RedisClusterIntegrationTests {

    static TestRedisCluster cluster;

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(RedisAutoConfiguration.class))
            .withUserConfiguration(Store.class, RedisStoreConfiguration.class);

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(TestRedisCluster.available(), "Redis Cluster test skipped: no /usr/bin/redis-server "
                + "and /usr/bin/redis-cli (apt-get install redis-server; .ci/run does)");
        cluster = TestRedisCluster.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void storesOverEveryMasterAndLosesNothingWhenAMasterFailsOver() {
        runner.withPropertyValues("spring.data.redis.cluster.nodes=" + cluster.nodes()).run(context -> {
            ScriptCalls scripts = context.getBean(ScriptCalls.class);
            assertThat(scripts.bySlot()).as("the app's script calls on a Cluster").isTrue();
            SinkProperties store = context.getBean(SinkProperties.class);
            RedisKeys keys = context.getBean(RedisKeys.class);
            RedisPredictionWriter writer = new RedisPredictionWriter(scripts, keys.events(), StoreBuckets.of(store),
                    store.entityHistorySize());
            StoredLookup lookup = context.getBean("eventLookup", StoredLookup.class);

            List<String> before = writeInBatches(writer, 0, 1_000);
            assertThat(writer.write(List.of(record(prediction("cluster-0", "someone-else", 1))))).as("a clash")
                    .containsExactly(0);
            assertAllStored(lookup, before);
            assertThat(lookup.newest("u-7", 100)).extracting(stored -> parse(stored).getEventId())
                    .as("an entity's newest, from its own shard").hasSize(5).allMatch(id -> id.startsWith("cluster-"));
            for (int master : cluster.withRole("master")) {
                assertThat(Long.parseLong(cluster.command(master, "DBSIZE"))).as("keys on master %d", master)
                        .isPositive();
            }

            int master = cluster.withRole("master").get(0);
            int replica = cluster.replicaOf(master);
            assertThat(cluster.command(replica, "CLUSTER", "FAILOVER")).isEqualTo("OK");
            List<String> after = writeInBatches(writer, 1_000, 1_000);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.command(replica, "INFO", "replication").contains("role:master"));

            assertAllStored(lookup, before);
            assertAllStored(lookup, after);
            assertThat(cluster.command(master, "INFO", "replication")).as("the old master").contains("role:slave");
        });
    }

    @Test
    void logsDeadLettersOnACluster() {
        runner.withPropertyValues("spring.data.redis.cluster.nodes=" + cluster.nodes()).run(context -> {
            StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
            RedisKeys keys = context.getBean(RedisKeys.class);
            DeadLetterLog log = new DeadLetterLog(redis, keys,
                    new DeadLetterEntries(context.getBean(TopicsProperties.class)), new ObjectMapper(),
                    Duration.ofMinutes(5), Clock.systemUTC());

            log.record(List.of(new ConsumerRecord<>("s0-dlt", 0, 7, "u-1".getBytes(StandardCharsets.UTF_8),
                    "{not json".getBytes(StandardCharsets.UTF_8))));

            assertThat(redis.opsForList().range(new String(keys.recentDeadLetters("s0-dlt", "unknown"),
                    StandardCharsets.UTF_8), 0, -1)).hasSize(1);
        });
    }

    /** Each batch written until it succeeds, within 30 s: what the sink's retries do with a failed batch. */
    private static List<String> writeInBatches(RedisPredictionWriter writer, int from, int count) {
        List<String> ids = new ArrayList<>();
        for (int start = from; start < from + count; start += 100) {
            List<StoredRecord> batch = IntStream.range(start, start + 100)
                    .mapToObj(i -> record(prediction("cluster-" + i, "u-" + (i % 200), 1_000 + i))).toList();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> writer.write(batch).isEmpty());
            batch.forEach(record -> ids.add(record.id()));
        }
        return ids;
    }

    private static void assertAllStored(StoredLookup lookup, List<String> ids) {
        List<Optional<StoredValue>> found = await().atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(DataAccessException.class)
                .until(() -> lookup.findAll(ids), all -> all.stream().allMatch(Optional::isPresent));
        assertThat(found).extracting(stored -> parse(stored.orElseThrow()).getEventId())
                .containsExactlyElementsOf(ids);
    }

    private static Prediction parse(StoredValue stored) {
        try {
            return Prediction.parseFrom(stored.message());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static StoredRecord record(Prediction prediction) {
        return StoredInput.EVENTS.stored(prediction, prediction.toByteArray());
    }

    private static Prediction prediction(String eventId, String entity, long predictedAt) {
        return Prediction.newBuilder().setEventId(eventId).setEntityKey(entity).addScores(0.5f)
                .setPredictedAtMs(predictedAt).setEventTimeMs(predictedAt).build();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SinkProperties.class, TopicsProperties.class})
    static class Store {
    }
}
