package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.contract.Prediction;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The sink's Redis writes against a real redis-server: idempotent, newer-wins across buckets, capped, expiring, and
 * readable by the query API's lookup (also the keys of the layout before buckets, when asked to).
 */
class RedisPredictionWriterIntegrationTests {

    static final TestRedis redis = TestRedis.start();
    static final LettuceConnectionFactory connections = TestRedis.connect(redis.port());
    static final StringRedisTemplate template = new StringRedisTemplate(connections);
    final RedisKeys keys = new RedisKeys("t:");
    final StoreBuckets buckets = new StoreBuckets(Duration.ofDays(7), Duration.ofDays(1));
    final RedisPredictionWriter writer = new RedisPredictionWriter(new PipelinedScriptCalls(template), keys.events(), buckets, 3);
    final StoredPredictions stored = new StoredPredictions(template, keys);

    @AfterAll
    static void stop() {
        connections.destroy();
        redis.stop();
    }

    @Test
    void replayingRewritesIdenticalDataAndAnOlderResultNeverReplacesANewerOne() {
        Prediction older = prediction("e-1", "u-1", 0.2f, 1_000);
        Prediction newer = prediction("e-1", "u-1", 0.9f, 2_000);
        writer.write(List.of(stored(newer)));
        writer.write(List.of(stored(older)));
        assertThat(stored.read(List.of("e-1")).get(0).getScores(0)).isEqualTo(0.9f);
        writer.write(List.of(stored(newer), stored(newer)));
        assertThat(stored.read(List.of("e-1")).get(0)).isEqualTo(newer);
    }

    @Test
    void neverStoresOneEntitysPredictionOverAnotherEntitysUnderTheSameEventId() {
        Prediction alice = prediction("clash-1", "alice", 0.1f, 1_000);
        Prediction mallory = prediction("clash-1", "mallory", 0.9f, 2_000);
        writer.write(List.of(stored(alice)));
        writer.write(List.of(stored(mallory)));

        assertThat(stored.read(List.of("clash-1")).get(0)).isEqualTo(alice);
        assertThat(stored.indexed("mallory")).isEmpty();
    }

    @Test
    void looksInEveryLiveBucketForANewerPredictionOrAnotherEntityOfTheSameId() {
        long today = System.currentTimeMillis();
        Clock tomorrow = Clock.offset(Clock.systemUTC(), Duration.ofDays(1));
        RedisPredictionWriter later = new RedisPredictionWriter(new PipelinedScriptCalls(template), keys.events(), buckets, 3, tomorrow);
        StoredLookup lookup = new StoredLookup(new PipelinedScriptCalls(template), template, keys.events(), buckets, false,
                tomorrow);
        Prediction newer = prediction("b-1", "bucket-user", 0.9f, today);
        writer.write(List.of(stored(newer)));

        assertThat(later.write(List.of(stored(prediction("b-1", "bucket-user", 0.1f, today - 1)),
                stored(prediction("b-1", "eve", 0.5f, today + 1))))).containsExactly(1);

        assertThat(lookup.find("b-1")).get().extracting(StoredValue::message).isEqualTo(newer.toByteArray());
        assertThat(template.hasKey(text(keys.events().record("b-1", buckets.current(today) + 1)))).isFalse();
        Prediction newest = prediction("b-1", "bucket-user", 0.7f, today + 2);
        later.write(List.of(stored(newest)));
        assertThat(lookup.find("b-1")).get().extracting(StoredValue::message).isEqualTo(newest.toByteArray());
        assertThat(lookup.newest("bucket-user", 10)).hasSize(1);
    }

    @Test
    void readsTheKeysOfTheLayoutBeforeBucketsOnlyWhenAskedTo() {
        Prediction old = prediction("legacy-1", "legacy-user", 0.3f, 1_000);
        template.execute((org.springframework.data.redis.core.RedisCallback<Object>) connection -> {
            connection.hashCommands().hMSet(keys.events().legacyRecord("legacy-1"), java.util.Map.of(
                    new byte[] {'p'}, old.toByteArray(), new byte[] {'t'}, "1000".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {'w'}, "1001".getBytes(StandardCharsets.US_ASCII)));
            return null;
        });
        template.opsForZSet().add(text(keys.events().legacyIndex("legacy-user")), "legacy-1", 1_000);

        StoredLookup upgrading = new StoredLookup(template, keys.events(), buckets, true);
        assertThat(upgrading.find("legacy-1")).get().extracting(StoredValue::storedAtMs).isEqualTo(1001L);
        assertThat(upgrading.newest("legacy-user", 5)).extracting(StoredValue::predictedAtMs).containsExactly(1_000L);
        assertThat(new StoredLookup(template, keys.events(), buckets, false).find("legacy-1")).isEmpty();
    }

    @Test
    void keepsOnlyTheNewestEntriesOfAnEntityAndExpiresEverything() {
        List<StoredRecord> batch = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // Event times out of arrival order: the index keeps the newest by event time.
            long eventTime = i == 6 ? 50 : 100 + i;
            batch.add(stored(prediction("h-" + i, "u-2", 0.5f, 10_000 + i).toBuilder().setEventTimeMs(eventTime).build()));
        }
        writer.write(batch);
        // Three kept, trimmed when twice as many were indexed.
        assertThat(stored.indexed("u-2")).containsExactly("h-5", "h-4", "h-3");
        long bucket = buckets.current(System.currentTimeMillis());
        long ttlMs = Duration.ofDays(8).toMillis();
        assertThat(template.getExpire(text(keys.events().record("h-0", bucket)), TimeUnit.MILLISECONDS))
                .isPositive().isLessThanOrEqualTo(ttlMs);
        assertThat(template.getExpire(text(keys.events().index("u-2", bucket)), TimeUnit.MILLISECONDS))
                .isPositive().isLessThanOrEqualTo(ttlMs);
    }

    @Test
    void storesEveryPredictionOfABatchLargerThanOneScriptCall() {
        int size = 2 * RedisPredictionWriter.PREDICTIONS_PER_CALL + 7;
        List<StoredRecord> batch = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            eventIds.add("c-" + i);
            batch.add(stored(prediction("c-" + i, "u-" + (i % 11), i, 20_000 + i)));
        }

        writer.write(batch);

        assertThat(stored.read(eventIds)).extracting(Prediction::getEventId).containsExactlyElementsOf(eventIds);
        assertThat(stored.indexed("u-0")).hasSizeBetween(3, 6).startsWith("c-198");
    }

    @Test
    void reloadsItsScriptWhenRedisHasForgottenIt() {
        template.execute((org.springframework.data.redis.core.RedisCallback<Object>) connection -> {
            connection.scriptingCommands().scriptFlush();
            return null;
        });
        Prediction prediction = prediction("s-1", "u-3", 0.4f, 5_000);

        writer.write(List.of(stored(prediction), stored(prediction("s-2", "u-3", 0.6f, 5_001))));

        assertThat(stored.read(List.of("s-1", "s-2"))).extracting(p -> p.getScores(0)).containsExactly(0.4f, 0.6f);
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    private static StoredRecord stored(Prediction prediction) {
        return StoredInput.EVENTS.stored(prediction, prediction.toByteArray());
    }

    private static Prediction prediction(String eventId, String entity, float score, long predictedAt) {
        return Prediction.newBuilder().setEventId(eventId).setEntityKey(entity).addScores(score)
                .setPredictedAtMs(predictedAt).setEventTimeMs(predictedAt).build();
    }
}
