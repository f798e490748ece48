package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.contract.Evaluation;
import io.streaminference.contract.Label;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.demo.DemoEvent;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SessionTraffic;
import io.streaminference.testing.SigmoidModelServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.client.RestClient;

/**
 * Online evaluation on the embedded KRaft broker, with the rest of the app: labels for a fifth of the events and for
 * every session — half sent before their predictions exist, half after — each meet their prediction exactly once in
 * the evaluations topic, with the version that answered; bad labels are dead letters with their reason; the API and
 * the meters show each version's labelled count and metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pipeline.topics.partitions=3", "pipeline.sessions.inactivity-gap=20s", "pipeline.sessions.grace=2s",
        "pipeline.evaluation.enabled=true"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class OnlineEvaluationIntegrationTests extends PipelineTestSupport {

    static final Duration GAP = Duration.ofSeconds(20);

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    @Test
    void joinsEveryLabelWithItsPredictionOnceAndServesEachVersionsOnlineMetrics() {
        SessionTraffic traffic = SessionTraffic.generate(5, 1_500, 40, 0);
        Map<String, Boolean> botByUser = new HashMap<>();
        for (DemoEvent event : traffic.events()) {
            botByUser.put(event.key(), event.bot());
        }
        List<byte[]> eventLabels = new ArrayList<>();
        List<String> labelledEvents = new ArrayList<>();
        for (int i = 0; i < traffic.features().size(); i += 5) {
            var features = traffic.features().get(i);
            labelledEvents.add(features.getEventId());
            eventLabels.add(label(Label.newBuilder().setEventId(features.getEventId()), features.getEntityKey(),
                    botByUser.get(features.getEntityKey())));
        }
        Map<String, SessionFeatures> sessions = traffic.reference(GAP);
        List<byte[]> sessionLabels = sessions.values().stream().map(session -> label(
                Label.newBuilder().setSessionId(session.getSessionId()), session.getEntityKey(),
                botByUser.get(session.getEntityKey()))).toList();

        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            traffic.send(producer, topics.events(), 0, traffic.events().size());
            // Most of these reach the join before their prediction does.
            sendLabels(producer, eventLabels.subList(0, eventLabels.size() / 2));
            sendLabels(producer, sessionLabels.subList(0, sessionLabels.size() / 2));
            traffic.flush(producer, topics.events(), 3);
            producer.send(new ProducerRecord<>(topics.labels(), utf8("u-other"), label(Label.newBuilder()
                    .setEventId(labelledEvents.get(0)), "u-not-the-key", true)));
            producer.send(new ProducerRecord<>(topics.labels(), utf8("u-1"), Label.newBuilder().setEventId("evt-1")
                    .setEntityKey("u-1").setLabel("fraud").build().toByteArray()));
            producer.send(new ProducerRecord<>(topics.labels(), utf8("u-1"), utf8("not a label")));
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> stored().allStored(traffic.validIds()));
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            sendLabels(producer, eventLabels.subList(eventLabels.size() / 2, eventLabels.size()));
            sendLabels(producer, sessionLabels.subList(sessionLabels.size() / 2, sessionLabels.size()));
        }

        int expected = labelledEvents.size() + sessions.size();
        List<Evaluation> evaluations = read(topics.evaluations(), expected, Duration.ofMinutes(2),
                Duration.ofSeconds(3)).stream().map(ConsumerRecord::value).map(OnlineEvaluationIntegrationTests::parse)
                .toList();
        Map<String, Long> copies = evaluations.stream().collect(Collectors.groupingBy(Evaluation::getSubjectId,
                Collectors.counting()));
        assertThat(copies).as("evaluations per subject").allSatisfy((id, count) -> assertThat(count).as(id)
                .isEqualTo(1));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(concat(labelledEvents, sessions.keySet()));
        assertThat(evaluations).allSatisfy(evaluation -> {
            assertThat(evaluation.getModelVersion()).isEqualTo(SigmoidModelServer.VERSION);
            assertThat(evaluation.getPositive()).isEqualTo(botByUser.get(evaluation.getEntityKey()));
            assertThat(evaluation.getModelName()).isEqualTo(evaluation.getKind() == Evaluation.Kind.SESSION
                    ? SigmoidModelServer.SESSION_MODEL : SigmoidModelServer.MODEL);
        });

        Map<String, String> reasons = read(topics.deadLetterOf(topics.labels()), 3, Duration.ofSeconds(30),
                Duration.ofSeconds(1)).stream().collect(Collectors.toMap(r -> new String(r.value(),
                StandardCharsets.UTF_8).contains("fraud") ? "fraud" : key(r), r -> header(r, "dlt-reason")));
        assertThat(reasons).containsOnly(Map.entry("u-other", "key_mismatch"), Map.entry("fraud", "unknown_label"),
                Map.entry("u-1", "undecodable"));

        RestClient api = RestClient.create("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(evaluationOf(api,
                SigmoidModelServer.MODEL)).containsEntry("labelled", labelledEvents.size()));
        Map<String, Object> events = evaluationOf(api, SigmoidModelServer.MODEL);
        assertThat(events.get("window")).isEqualTo(labelledEvents.size());
        assertThat((Double) events.get("auc")).isBetween(0.0, 1.0);
        assertThat((Double) events.get("accuracy")).isBetween(0.0, 1.0);
        assertThat((Double) events.get("log_loss")).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(evaluationOf(api,
                SigmoidModelServer.SESSION_MODEL)).containsEntry("labelled", sessions.size()));
        assertThat(meters.get("pipeline.evaluation.auc").tag("model", SigmoidModelServer.MODEL)
                .tag("version", Long.toString(SigmoidModelServer.VERSION)).gauge().value()).isEqualTo(events.get("auc"));
        assertThat(meters.get("pipeline.evaluation.labels").tag("outcome", "matched").counter().count())
                .isGreaterThanOrEqualTo(expected);

        HttpStatusCode missing = api.get().uri("/api/v1/models/no-such-model/versions")
                .exchange((request, response) -> response.getStatusCode());
        assertThat(missing.value()).isEqualTo(404);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> evaluationOf(RestClient api, String model) {
        Map<String, Object> body = api.get().uri("/api/v1/models/{name}/versions", model).retrieve().body(Map.class);
        List<Map<String, Object>> versions = (List<Map<String, Object>>) body.get("versions");
        Map<String, Object> version = versions.stream()
                .filter(v -> ((Number) v.get("version")).longValue() == SigmoidModelServer.VERSION).findFirst()
                .orElseThrow();
        assertThat(version.get("state")).isEqualTo("AVAILABLE");
        Map<String, Object> evaluation = (Map<String, Object>) version.get("evaluation");
        return evaluation == null ? Map.of() : evaluation;
    }

    private void sendLabels(KafkaProducer<byte[], byte[]> producer, List<byte[]> labels) {
        for (byte[] value : labels) {
            try {
                producer.send(new ProducerRecord<>(topics.labels(), utf8(Label.parseFrom(value).getEntityKey()), value));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
        producer.flush();
    }

    private static byte[] label(Label.Builder subject, String entity, boolean bot) {
        return subject.setEntityKey(entity).setLabel(bot ? "bot" : "human").setSource("test")
                .setLabelledAtMs(System.currentTimeMillis()).build().toByteArray();
    }

    private static List<String> concat(List<String> a, java.util.Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Evaluation parse(byte[] value) {
        try {
            return Evaluation.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not an Evaluation in the evaluations topic", e);
        }
    }
}
