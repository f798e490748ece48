package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.contract.Prediction;
import io.streaminference.demo.ClickstreamSimulator;
import io.streaminference.demo.DemoEvent;
import io.streaminference.topics.TopicsProperties;
import io.streaminference.preprocess.OfflineFeatures;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * The pipeline against the TensorFlow-backed model server serving the committed demo model: every stored score
 * equals the SavedModel's own output for the same event, computed directly with TensorFlow Java.
 */
@SpringBootTest
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class TensorFlowPipelineIntegrationTests {

    static final Path MODELS = Path.of("models");
    static final TestRedis redis = TestRedis.start();
    static final LocalModelServer model = LocalModelServer.start(MODELS, 0, Duration.ofSeconds(2));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", redis::port);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + model.port());
        registry.add("pipeline.topics.partitions", () -> 2);
        registry.add("spring.kafka.streams.state-dir", StateDirs::fresh);
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
    void storesExactlyTheScoresTheSavedModelGivesForEachEvent() {
        ClickstreamSimulator simulator = new ClickstreamSimulator(7, System::currentTimeMillis, 0.01);
        List<String> eventIds = new ArrayList<>();
        List<float[]> features = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < 2_000; i++) {
                DemoEvent event = simulator.next();
                producer.send(new ProducerRecord<>(topics.events(), event.key().getBytes(StandardCharsets.UTF_8),
                        event.value()));
                if (!event.malformed()) {
                    String json = new String(event.value(), StandardCharsets.UTF_8);
                    eventIds.add(json.substring(json.indexOf("\"event_id\":\"") + 12, json.indexOf("\",")));
                    features.add(OfflineFeatures.of(json));
                }
            }
        }
        StoredPredictions stored = new StoredPredictions(redisTemplate, keys);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(eventIds));

        float[] expected = DemoModelTrainer.score(MODELS.resolve("clickstream-bot/1"), features.toArray(float[][]::new));
        List<Prediction> values = stored.read(eventIds);
        for (int i = 0; i < eventIds.size(); i++) {
            Prediction prediction = values.get(i);
            assertThat(prediction.getScores(0)).as(eventIds.get(i)).isCloseTo(expected[i], Offset.offset(1e-6f));
            assertThat(prediction.getModelVersion()).isEqualTo(1);
            assertThat(prediction.getLabel()).isEqualTo(expected[i] >= 0.5f ? "bot" : "human");
        }
    }

}
