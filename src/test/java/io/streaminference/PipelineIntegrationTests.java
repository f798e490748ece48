package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.contract.Prediction;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.preprocess.OfflineFeatures;
import io.streaminference.contract.Label;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.ClickEvents.Malformed;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.client.RestClient;

/** The whole pipeline on real components: 10,000 events in, every valid one queryable, every malformed one dead-lettered. */
// The evaluation stage is on so that every meter the Grafana dashboard charts exists.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pipeline.topics.partitions=3", "pipeline.evaluation.enabled=true"})
@AutoConfigureObservability
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class PipelineIntegrationTests extends PipelineTestSupport {

    static final int EVENTS = 10_000;

    @LocalServerPort
    int port;
    @org.springframework.boot.test.web.server.LocalManagementPort
    int managementPort;

    @Test
    void storesEveryValidEventWithItsModelScoreAndDeadLettersEveryMalformedOne() {
        List<Malformed> kinds = ClickEvents.malformedKinds();
        Map<String, Malformed> malformed = new HashMap<>();
        List<Integer> valid = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < EVENTS; i++) {
                if (i % 100 == 37) {
                    String key = "bad-" + i;
                    Malformed bad = kinds.get((i / 100) % kinds.size());
                    malformed.put(key, bad);
                    producer.send(new ProducerRecord<>(topics.events(), utf8(key), bad.value()));
                } else {
                    valid.add(i);
                    producer.send(new ProducerRecord<>(topics.events(), utf8(ClickEvents.userId(i)),
                            utf8(ClickEvents.valid(i))));
                }
            }
        }
        assertThat(malformed).hasSize(100);

        List<String> validIds = valid.stream().map(ClickEvents::eventId).toList();
        StoredPredictions stored = stored();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> stored.allStored(validIds));

        List<Prediction> values = stored.read(validIds);
        RestClient api = RestClient.create("http://127.0.0.1:" + port);
        for (int k = 0; k < valid.size(); k++) {
            int i = valid.get(k);
            float expected = SigmoidModelServer.score(OfflineFeatures.of(ClickEvents.valid(i)));
            Prediction prediction = values.get(k);
            assertThat(prediction.getEventId()).isEqualTo(ClickEvents.eventId(i));
            assertThat(prediction.getEntityKey()).isEqualTo(ClickEvents.userId(i));
            assertThat(prediction.getScores(0)).isCloseTo(expected, Offset.offset(1e-6f));
            assertThat(prediction.getModelVersion()).isEqualTo(SigmoidModelServer.VERSION);
            assertThat(prediction.getLabel()).isEqualTo(expected >= 0.5f ? "bot" : "human");

            Map<?, ?> body = api.get().uri("/api/v1/predictions/{id}", ClickEvents.eventId(i)).retrieve()
                    .body(Map.class);
            assertThat(((Number) body.get("score")).floatValue()).isCloseTo(expected, Offset.offset(1e-6f));
            assertThat(body.get("model_version")).isEqualTo((int) SigmoidModelServer.VERSION);
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters = read(topics.deadLetterOf(topics.events()), malformed.size(),
                Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(deadLetters).hasSize(malformed.size());
        for (ConsumerRecord<byte[], byte[]> letter : deadLetters) {
            Malformed expected = malformed.get(key(letter));
            assertThat(expected).isNotNull();
            assertThat(letter.value() == null ? new byte[0] : letter.value()).isEqualTo(expected.value());
            assertThat(header(letter, DeadLetters.REASON_HEADER)).isEqualTo(expected.reason());
            assertThat(header(letter, DeadLetters.STAGE_HEADER)).isEqualTo("preprocess");
            assertThat(header(letter, "kafka_dlt-original-topic")).isEqualTo(topics.events());
        }
    }

    @Test
    void answersAnEntitysPredictionsNewestFirstAndNeverAnotherEntitys() {
        produce("alice", "q-1", 1_000);
        produce("alice", "q-2", 3_000);
        produce("alice", "q-3", 2_000);
        await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(List.of("q-1", "q-2", "q-3")));
        // Another entity reuses an event id of alice's: its prediction must not replace hers or show under either.
        produce("mallory", "q-2", 9_000);
        produce("mallory", "q-9", 5_000);
        await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(List.of("q-9")));

        RestClient api = RestClient.create("http://127.0.0.1:" + port);
        assertThat(eventIds(api, "/api/v1/entities/alice/predictions?limit=2")).containsExactly("q-2", "q-3");
        assertThat(eventIds(api, "/api/v1/entities/alice/predictions")).containsExactly("q-2", "q-3", "q-1");
        assertThat(eventIds(api, "/api/v1/entities/mallory/predictions")).containsExactly("q-9");
        assertThat(api.get().uri("/api/v1/predictions/q-2").retrieve().body(Map.class))
                .containsEntry("entity_key", "alice");
        List<ConsumerRecord<byte[], byte[]>> clashes = read(topics.deadLetterOf(topics.predictions()), 1,
                Duration.ofSeconds(30), Duration.ofSeconds(1)).stream()
                .filter(r -> "event_id_clash".equals(header(r, DeadLetters.REASON_HEADER))).toList();
        assertThat(clashes).singleElement().satisfies(letter -> assertThat(key(letter)).isEqualTo("mallory"));
    }

    private void produce(String user, String eventId, long time) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            producer.send(new ProducerRecord<>(topics.events(), utf8(user), utf8("{\"event_id\":\"" + eventId
                    + "\",\"user_id\":\"" + user + "\",\"timestamp\":" + time + ",\"path\":\"/\",\"status\":200}")));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> eventIds(RestClient api, String path) {
        Map<String, Object> body = api.get().uri(path).retrieve().body(Map.class);
        return ((List<Map<String, Object>>) body.get("predictions")).stream().map(p -> (String) p.get("event_id"))
                .toList();
    }

    @Test
    void exposesProbesComponentHealthMetricsAndTheOpenApiDocument() {
        RestClient api = RestClient.create("http://127.0.0.1:" + port);
        RestClient management = io.streaminference.testing.Management.operator(managementPort);
        Map<String, Object> readiness = json(management, "/actuator/health/readiness");
        assertThat(readiness.get("status")).isEqualTo("UP");
        // Every role in one process: ready when Redis answers; a model-server outage pauses inference, not the API.
        assertThat(readiness.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("redis", "readinessState").doesNotContainKey("modelServer");
        Map<String, Object> liveness = json(management, "/actuator/health/liveness");
        assertThat(liveness).containsEntry("status", "UP");
        assertThat(liveness.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("kafkaListeners", "sessions");
        Map<String, Object> health = json(management, "/actuator/health");
        assertThat(health.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("kafkaListeners", "sessions", "modelServer");
        assertThat(health.get("status")).isEqualTo("UP");

        String prometheus = management.get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(prometheus).contains("pipeline_records_in_total", "pipeline_batch_size",
                "pipeline_end_to_end_latency_seconds", "pipeline_predicted_to_store_latency_seconds",
                "pipeline_breaker_open");
        String openApi = api.get().uri("/v3/api-docs").retrieve().body(String.class);
        assertThat(openApi).contains("/api/v1/predictions/{eventId}", "/api/v1/entities/{entityKey}/predictions",
                "/api/v1/sessions/{sessionId}", "/api/v1/entities/{entityKey}/sessions");
    }

    @Test
    void servesEveryMetricTheGrafanaDashboardCharts() throws Exception {
        List<String> ids = produceValid("dash", 5);
        await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(ids));
        // The online evaluation's meters exist per model version once one of its predictions is labelled.
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            producer.send(new ProducerRecord<>(topics.labels(), utf8(ClickEvents.userId(0)), Label.newBuilder()
                    .setEventId(ids.get(0)).setEntityKey(ClickEvents.userId(0)).setLabel("bot").build()
                    .toByteArray()));
        }
        String dashboard = Files.readString(Path.of("helm", "stream-inference", "dashboards", "stream-inference.json"));
        Set<String> charted = new TreeSet<>();
        Matcher metric = Pattern.compile("\\b([a-z]+(?:_[a-z0-9]+)+)\\{").matcher(dashboard);
        while (metric.find()) {
            charted.add(metric.group(1));
        }
        // Counted only after a failure or a dead letter; this test has none (the end-to-end test checks dead letters).
        charted.removeAll(Set.of("pipeline_batch_failures_total", "pipeline_publish_failures_total",
                "pipeline_records_dead_lettered_total"));

        RestClient api = io.streaminference.testing.Management.operator(managementPort);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String prometheus = api.get().uri("/actuator/prometheus").retrieve().body(String.class);
            assertThat(charted).hasSizeGreaterThan(8).allSatisfy(name -> assertThat(prometheus).contains(name + "{"));
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(RestClient api, String path) {
        return api.get().uri(path).retrieve().body(Map.class);
    }
}
