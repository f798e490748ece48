package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.contract.Features;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.topics.TopicsProperties;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SessionTraffic;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pipeline against the TensorFlow-backed model server serving the committed demo models: every stored score
 * equals the SavedModel's own output for the same event, and every session prediction the session model's own
 * output for the same session (as the offline reference computes it), both computed directly with TensorFlow Java.
 */
@SpringBootTest
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class TensorFlowPipelineIntegrationTests {

    static final Path MODELS = Path.of("models");
    static final Duration GAP = Duration.ofSeconds(30);
    static final TestRedis redis = TestRedis.start();
    static final LocalModelServer model = LocalModelServer.start(MODELS, 0, Duration.ofSeconds(2));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", redis::port);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + model.port());
        registry.add("pipeline.topics.partitions", () -> 2);
        registry.add("spring.kafka.streams.state-dir", StateDirs::fresh);
        registry.add("pipeline.sessions.inactivity-gap", () -> GAP);
    }

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
    }

    @Autowired
    TopicsProperties topics;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    StringRedisTemplate redisTemplate;
    @Autowired
    RedisKeys keys;

    @Test
    void storesExactlyTheScoresTheSavedModelsGiveForEachEventAndEachSession() {
        SessionTraffic traffic = SessionTraffic.generate(7, 2_000, 50, 0.01);
        List<String> flushed;
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            traffic.send(producer, topics.events(), 0, traffic.events().size());
            flushed = traffic.flush(producer, topics.events(), 2);
        }
        List<String> eventIds = traffic.validIds();
        StoredPredictions stored = new StoredPredictions(redisTemplate, keys);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(eventIds) && stored.allStored(flushed));

        float[][] rows = traffic.features().stream().map(TensorFlowPipelineIntegrationTests::values)
                .toArray(float[][]::new);
        float[] expected = DemoModelTrainer.score(MODELS.resolve(DemoModelTrainer.EVENT_MODEL + "/1"), rows);
        List<Prediction> values = stored.read(eventIds);
        for (int i = 0; i < eventIds.size(); i++) {
            Prediction prediction = values.get(i);
            assertThat(prediction.getScores(0)).as(eventIds.get(i)).isCloseTo(expected[i], Offset.offset(1e-6f));
            assertThat(prediction.getModelVersion()).isEqualTo(1);
            assertThat(prediction.getLabel()).isEqualTo(expected[i] >= 0.5f ? "bot" : "human");
        }

        List<SessionFeatures> sessions = List.copyOf(traffic.reference(GAP).values());
        float[] expectedSessions = DemoModelTrainer.score(MODELS.resolve(DemoModelTrainer.SESSION_MODEL + "/1"),
                sessions.stream().map(s -> toArray(s.getValuesList())).toArray(float[][]::new));
        Map<String, List<SessionPrediction>> predictions = SessionTraffic.predictions(KafkaTestClients.readAll(
                broker.getBrokersAsString(), topics.sessionPredictions(), sessions.size(), Duration.ofMinutes(2),
                Duration.ofSeconds(1)));
        assertThat(predictions).hasSameSizeAs(sessions);
        for (int i = 0; i < sessions.size(); i++) {
            List<SessionPrediction> copies = predictions.get(sessions.get(i).getSessionId());
            assertThat(copies).as(sessions.get(i).getSessionId()).hasSize(1);
            assertThat(copies.get(0).getScores(0)).isCloseTo(expectedSessions[i], Offset.offset(1e-6f));
        }
    }

    private static float[] values(Features features) {
        return toArray(features.getValuesList());
    }

    private static float[] toArray(List<Float> list) {
        float[] row = new float[list.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = list.get(i);
        }
        return row;
    }
}
