package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.contract.Prediction;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SessionTraffic;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import io.streaminference.topics.TopicsProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A canary, then promotion, by moving version labels through TF Serving's own API ({@code HandleReloadConfigRequest},
 * via {@code POST /actuator/modelconfig}) on the TensorFlow-backed model server, while the pipeline runs pinned to the
 * label {@code stable} with half of its users on {@code canary}: before, every prediction comes from version 1; with
 * the canary on version 2, each user's from one version and about half the users' from 2; after promotion, every one
 * from version 2 — no restart, no event lost or stored twice. Throughout, a shadow label has every event scored again
 * into the shadow topic; when its label disappears only the shadow's predictions stop. A label on a version the server does not serve, and a model it does not have, are refused and
 * change nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ModelRolloutIntegrationTests {

    static final Path MODELS = twoVersions();
    static final TestRedis redis = TestRedis.start();
    static final LocalModelServer model = LocalModelServer.start(MODELS, 0, Duration.ofSeconds(2));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", redis::port);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + model.port());
        registry.add("pipeline.topics.partitions", () -> 2);
        registry.add("spring.kafka.streams.state-dir", StateDirs::fresh);
        registry.add("pipeline.sessions.enabled", () -> false);
        registry.add("pipeline.inference.models.events.version-label", () -> "stable");
        registry.add("pipeline.inference.models.events.canary.label", () -> "canary");
        registry.add("pipeline.inference.models.events.canary.share", () -> 0.5);
        registry.add("pipeline.inference.models.events.shadow-label", () -> "shadow");
        // A shadow doubles a poll's worst-case Predict calls; 200 records keep it inside max.poll.interval.ms.
        registry.add("spring.kafka.consumer.max-poll-records", () -> 200);
    }

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    TopicsProperties topics;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    StringRedisTemplate redisTemplate;
    @Autowired
    RedisKeys keys;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void followsItsLabelsThroughACanaryAndAPromotionWithoutARestart() {
        StoredPredictions stored = new StoredPredictions(redisTemplate, keys);
        RestClient actuator = RestClient.create("http://127.0.0.1:" + port + "/actuator");
        List<String> before = send(1, 400);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(before));
        assertThat(stored.read(before)).extracting(Prediction::getModelVersion).containsOnly(1L);
        // The shadow scored each of them too, with the version its label points at, into its own topic.
        Map<String, List<Long>> shadowed = KafkaTestClients.readAll(broker.getBrokersAsString(),
                        topics.shadowPredictions(), before.size(), Duration.ofMinutes(1), Duration.ofSeconds(1))
                .stream().map(r -> prediction(r.value())).collect(Collectors.groupingBy(Prediction::getEventId,
                        Collectors.mapping(Prediction::getModelVersion, Collectors.toList())));
        assertThat(shadowed.keySet()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(shadowed.values()).containsOnly(List.of(2L));

        assertThat(reload(actuator, config(Map.of("stable", 3L)))).as("a label on a version not served").isEqualTo(409);
        assertThat(reload(actuator, config(Map.of("stable", 2L)).replace("clickstream-session", "no-such-model")))
                .as("a model the server does not have").isEqualTo(400);
        assertThat(reload(actuator, "model_config_list { config { name: ")).as("not a config").isEqualTo(400);
        List<String> stillOne = send(2, 100);
        await().atMost(Duration.ofMinutes(1)).until(() -> stored.allStored(stillOne));
        assertThat(stored.read(stillOne)).extracting(Prediction::getModelVersion).containsOnly(1L);

        // Canary: half of the users (sticky, by their key) on version 2, the others still on 1.
        assertThat(reload(actuator, config(Map.of("stable", 1L, "canary", 2L, "shadow", 2L)))).isEqualTo(200);
        List<String> canaried = send(4, 400);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(canaried));
        Map<String, java.util.Set<Long>> versionsByUser = stored.read(canaried).stream().collect(Collectors.groupingBy(
                Prediction::getEntityKey, Collectors.mapping(Prediction::getModelVersion, Collectors.toSet())));
        assertThat(versionsByUser).as("one version per user").allSatisfy((user, versions) -> assertThat(versions)
                .hasSize(1));
        long onCanary = versionsByUser.values().stream().filter(v -> v.contains(2L)).count();
        assertThat(onCanary).as("users on the canary, of " + versionsByUser.size())
                .isBetween(versionsByUser.size() / 4L, versionsByUser.size() * 3L / 4);

        // Promotion drops the shadow label: the shadow's requests fail, and only the shadow pays for it.
        assertThat(reload(actuator, config(Map.of("stable", 2L, "canary", 2L)))).isEqualTo(200);
        List<String> after = send(3, 400);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(after));
        assertThat(stored.read(after)).extracting(Prediction::getModelVersion).containsOnly(2L);
        assertThat(meters.get("pipeline.inference.shadow.failures").counter().count()).isPositive();

        List<String> all = new ArrayList<>(before);
        all.addAll(stillOne);
        all.addAll(canaried);
        all.addAll(after);
        Map<String, Long> copies = KafkaTestClients.readAll(broker.getBrokersAsString(), topics.predictions(),
                        all.size(), Duration.ofMinutes(1), Duration.ofSeconds(2)).stream()
                .map(ConsumerRecord::value).map(EventIdReader::ofPrediction)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(copies.values()).as("predictions per event in s2").containsOnly(1L);

        Map<?, ?> versions = RestClient.create("http://127.0.0.1:" + port).get()
                .uri("/api/v1/models/clickstream-bot/versions").retrieve().body(Map.class);
        assertThat(versions.get("pinned_label")).isEqualTo("stable");
        assertThat((List<?>) versions.get("versions")).extracting(v -> ((Map<?, ?>) v).get("version"),
                v -> ((Map<?, ?>) v).get("labels")).containsExactly(org.assertj.core.groups.Tuple.tuple(2, List.of(
                "stable")), org.assertj.core.groups.Tuple.tuple(1, List.of()));
    }

    private static Prediction prediction(byte[] value) {
        try {
            return Prediction.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> send(long seed, int count) {
        SessionTraffic traffic = SessionTraffic.generate(seed, System.currentTimeMillis(), count, 100, 0);
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            traffic.send(producer, topics.events(), 0, count);
        }
        return traffic.validIds();
    }

    private static int reload(RestClient actuator, String config) {
        return actuator.post().uri("/modelconfig").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("config", config)).exchange((request, response) -> response.getStatusCode().value());
    }

    /** Both models, as TF Serving's reload replaces the whole list: the event model's versions 1 and 2 served. */
    private static String config(Map<String, Long> labels) {
        StringBuilder text = new StringBuilder("model_config_list {\n  config {\n    name: \"clickstream-bot\"\n"
                + "    base_path: \"/models/clickstream-bot\"\n    model_platform: \"tensorflow\"\n"
                + "    model_version_policy { specific { versions: 1 versions: 2 } }\n");
        labels.forEach((label, version) -> text.append("    version_labels { key: \"").append(label)
                .append("\" value: ").append(version).append(" }\n"));
        return text.append("  }\n  config {\n    name: \"clickstream-session\"\n"
                + "    base_path: \"/models/clickstream-session\"\n    model_platform: \"tensorflow\"\n  }\n}\n")
                .toString();
    }

    /** The committed demo models, with the event model's version 1 also exported as version 2; stable and canary 1. */
    private static Path twoVersions() {
        try {
            Path base = Files.createTempDirectory("rollout-models");
            ModelFiles.copy(Path.of("models", "clickstream-bot", "1"), base.resolve("clickstream-bot").resolve("1"));
            ModelFiles.copy(Path.of("models", "clickstream-bot", "1"), base.resolve("clickstream-bot").resolve("2"));
            ModelFiles.copy(Path.of("models", "clickstream-session", "1"),
                    base.resolve("clickstream-session").resolve("1"));
            Files.writeString(base.resolve("clickstream-bot").resolve("labels.properties"),
                    "stable=1\ncanary=1\nshadow=2\n");
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
