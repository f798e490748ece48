package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SessionAssertions;
import io.streaminference.testing.SessionTraffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.client.RestClient;

/**
 * The session stage on the embedded KRaft broker, with the rest of the app: the sessions of a generated stream are,
 * session by session, those the offline reference ({@code OfflineSessions}, which the trainer uses) computes from the
 * same events; each is scored once by the session model, stored, and served by the API; an event too late for its
 * session is counted and still gets its own prediction.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pipeline.topics.partitions=3", "pipeline.sessions.inactivity-gap=20s", "pipeline.sessions.grace=2s"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
// The late event's partition jumps to 2033: the generated 2026 stream must have gone through before.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionsIntegrationTests extends PipelineTestSupport {

    static final Duration GAP = Duration.ofSeconds(20);

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    @Test
    @Order(1)
    void emitsExactlyTheOfflineSessionsOfAGeneratedStreamAndServesTheirPredictions() {
        SessionTraffic traffic = SessionTraffic.generate(11, 6_000, 40, 0.005);
        Map<String, SessionFeatures> expected = traffic.reference(GAP);
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            traffic.send(producer, topics.events(), 0, traffic.events().size());
            traffic.flush(producer, topics.events(), 3);
        }

        SessionAssertions.assertExactlyOnce(broker.getBrokersAsString(), topics, expected);

        RestClient api = RestClient.create("http://127.0.0.1:" + port);
        List<SessionFeatures> byEntity = new ArrayList<>(expected.values());
        byEntity.sort(Comparator.comparing(SessionFeatures::getEntityKey).thenComparing(SessionFeatures::getStartMs));
        SessionFeatures sample = byEntity.get(byEntity.size() / 2);
        await().atMost(Duration.ofMinutes(1)).until(() -> api.get().uri("/api/v1/sessions/{id}",
                sample.getSessionId()).exchange((request, response) -> response.getStatusCode().is2xxSuccessful()));
        Map<?, ?> one = api.get().uri("/api/v1/sessions/{id}", sample.getSessionId()).retrieve().body(Map.class);
        assertThat(one.get("entity_key")).isEqualTo(sample.getEntityKey());
        assertThat(one.get("event_count")).isEqualTo(sample.getEventCount());
        assertThat(one.get("final")).isEqualTo(true);

        String busiest = mostSessions(expected);
        List<String> newestFirst = expected.values().stream().filter(s -> s.getEntityKey().equals(busiest))
                .sorted(Comparator.comparingLong(SessionFeatures::getStartMs).reversed())
                .map(SessionFeatures::getSessionId).toList();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(sessionIds(api,
                "/api/v1/entities/" + busiest + "/sessions?limit=2")).containsExactlyElementsOf(newestFirst.subList(0, 2)));
    }

    @Test
    @Order(2)
    void countsAnEventTooLateForItsSessionAndStillPredictsIt() {
        double lateBefore = late();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (String id : List.of("now-a", "now-b", "now-c")) {
                producer.send(new ProducerRecord<>(topics.events(), utf8("late-user"), utf8(event(id, 2_000_000_000_000L))));
            }
            // Hours behind the stream time of its partition: no session may take it.
            producer.send(new ProducerRecord<>(topics.events(), utf8("late-user"), utf8(event("too-late",
                    2_000_000_000_000L - Duration.ofHours(3).toMillis()))));
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> late() > lateBefore);
        assertThat(late()).isEqualTo(lateBefore + 1);
        await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(List.of("too-late")));
    }

    private double late() {
        var counter = meters.find("pipeline.sessions.late.events").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String event(String id, long time) {
        return "{\"event_id\":\"" + id + "\",\"user_id\":\"late-user\",\"timestamp\":" + time
                + ",\"path\":\"/\",\"status\":200}";
    }

    private static String mostSessions(Map<String, SessionFeatures> sessions) {
        return sessions.values().stream().collect(java.util.stream.Collectors.groupingBy(SessionFeatures::getEntityKey,
                        java.util.stream.Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    @SuppressWarnings("unchecked")
    private static List<String> sessionIds(RestClient api, String path) {
        Map<String, Object> body = api.get().uri(path).retrieve().body(Map.class);
        return ((List<Map<String, Object>>) body.get("sessions")).stream().map(s -> (String) s.get("session_id"))
                .toList();
    }
}
