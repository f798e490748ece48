package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.topics.TopicsProperties;
import io.streaminference.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

/**
 * Starts the local stack as {@code ./mvnw spring-boot:test-run} does and follows a generated event, and the first
 * session, to the REST API; a healthy start logs no error and pauses no stage.
 */
@ExtendWith(OutputCaptureExtension.class)
class LocalStackIntegrationTests {

    @TempDir
    Path kafkaData;

    @Test
    void servesEventAndSessionPredictionsForGeneratedTrafficWithoutAnErrorOnTheWay(CapturedOutput output) throws Exception {
        int kafkaPort = TestRedis.freePort();
        int httpPort = TestRedis.freePort();
        int managementPort = TestRedis.freePort();
        Map<String, String> options = Map.of(
                "kafka-port", Integer.toString(kafkaPort),
                "kafka-controller-port", Integer.toString(TestRedis.freePort()),
                "kafka-data", kafkaData.toString(),
                "redis-port", Integer.toString(TestRedis.freePort()),
                "model-port", Integer.toString(TestRedis.freePort()),
                "rate", "200",
                "management-port", Integer.toString(managementPort));
        try (LocalStack stack = LocalStack.start(options, List.of("--server.port=" + httpPort))) {
            String bootstrap = "127.0.0.1:" + kafkaPort;
            TopicsProperties topics = stack.application().getBean(TopicsProperties.class);
            String eventId = firstGeneratedEventId(bootstrap, topics.events());
            RestClient api = RestClient.create("http://127.0.0.1:" + httpPort);
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> {
                Map<?, ?> prediction = api.get().uri("/api/v1/predictions/{id}", eventId).retrieve().body(Map.class);
                assertThat(prediction.get("model_name")).isEqualTo("clickstream-bot");
                assertThat(prediction.get("label")).isIn("bot", "human");
            });
            assertThat(RestClient.create("http://127.0.0.1:" + managementPort).get().uri("/actuator/health/readiness")
                    .retrieve().body(Map.class))
                    .containsEntry("status", "UP");
            // The dashboard the banner points at, with its chart library from the jar, and the journey behind it.
            assertThat(api.get().uri("/").retrieve().body(String.class)).contains("An event's journey");
            assertThat(api.get().uri("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").retrieve().toBodilessEntity()
                    .getStatusCode().is2xxSuccessful()).isTrue();
            assertThat(api.get().uri("/api/v1/events/{id}/journey", eventId).retrieve().body(Map.class))
                    .containsEntry("status", "stored");
            assertThat(output.getAll()).contains("Dashboard      http://127.0.0.1:" + httpPort + "/");

            // The local stack's 30 s inactivity gap: the first sessions close within a minute of the start.
            String sessionId = SessionPrediction.parseFrom(KafkaTestClients.readAll(bootstrap, topics.sessionPredictions(), 1,
                    Duration.ofSeconds(90), Duration.ZERO).get(0).value()).getSessionId();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                Map<?, ?> session = api.get().uri("/api/v1/sessions/{id}", sessionId).retrieve().body(Map.class);
                assertThat(session.get("model_name")).isEqualTo("clickstream-session");
                assertThat(session.get("label")).isIn("bot", "human");
            });
            assertThat(output.getAll()).doesNotContain(" ERROR ", "pausing the listener", "is retried with back-off");
        }
    }

    private static String firstGeneratedEventId(String bootstrap, String events) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<byte[], byte[]> record : KafkaTestClients.readAll(bootstrap, events, 50,
                Duration.ofSeconds(30), Duration.ZERO)) {
            try {
                JsonNode event = json.readTree(record.value());
                if (event != null && event.hasNonNull("event_id") && event.hasNonNull("status")
                        && event.get("event_id").asText().matches("[A-Za-z0-9._:-]{1,128}")) {
                    return event.get("event_id").asText();
                }
            } catch (java.io.IOException malformed) {
                // The generator mixes in malformed records; look at the next one.
            }
        }
        throw new AssertionError("no valid generated event on s0");
    }
}
