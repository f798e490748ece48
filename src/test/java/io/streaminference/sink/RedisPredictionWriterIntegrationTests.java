package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.contract.Prediction;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The sink's Redis writes against a real redis-server: idempotent, newer-wins, capped and expiring. */
class RedisPredictionWriterIntegrationTests {

    static final TestRedis redis = TestRedis.start();
    static final LettuceConnectionFactory connections = TestRedis.connect(redis.port());
    static final StringRedisTemplate template = new StringRedisTemplate(connections);
    final RedisKeys keys = new RedisKeys("t:");
    final RedisPredictionWriter writer = new RedisPredictionWriter(template, keys.events(), Duration.ofMinutes(5), 3);
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
        assertThat(template.opsForZSet().range(new String(keys.entityIndex("mallory"), StandardCharsets.UTF_8), 0, -1))
                .isEmpty();
    }

    @Test
    void keepsOnlyTheNewestEntriesOfAnEntityAndExpiresEverything() {
        List<StoredRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(stored(prediction("h-" + i, "u-2", 0.5f, 10_000 + i).toBuilder().setEventTimeMs(100 + i).build()));
        }
        writer.write(batch);
        assertThat(template.opsForZSet().reverseRange(new String(keys.entityIndex("u-2"), StandardCharsets.UTF_8), 0, -1))
                .containsExactly("h-4", "h-3", "h-2");
        assertThat(template.getExpire(new String(keys.prediction("h-0"), StandardCharsets.UTF_8))).isPositive();
        assertThat(template.getExpire(new String(keys.entityIndex("u-2"), StandardCharsets.UTF_8))).isPositive();
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
        assertThat(template.opsForZSet().size(new String(keys.entityIndex("u-0"), StandardCharsets.UTF_8)))
                .isEqualTo(3);
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

    private static StoredRecord stored(Prediction prediction) {
        return StoredInput.EVENTS.stored(prediction, prediction.toByteArray());
    }

    private static Prediction prediction(String eventId, String entity, float score, long predictedAt) {
        return Prediction.newBuilder().setEventId(eventId).setEntityKey(entity).addScores(score)
                .setPredictedAtMs(predictedAt).setEventTimeMs(predictedAt).build();
    }
}
