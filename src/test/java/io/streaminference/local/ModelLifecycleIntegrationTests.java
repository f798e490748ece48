package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.contract.Label;
import io.streaminference.contract.Prediction;
import io.streaminference.demo.ClickstreamSimulator;
import io.streaminference.demo.DemoEvent;
import io.streaminference.inference.ReloadModelConfig;
import io.streaminference.lifecycle.ExportTrainingData;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.Management;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import io.streaminference.topics.TopicsProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The model lifecycle end to end, on the TensorFlow-backed model server, with no restart: labelled traffic scored by
 * version 1 (pinned to the label {@code stable}); the bots drift and version 1's online AUC drops; the labelled
 * traffic since the drift is exported as TFRecord files and version 2 trained from it, ahead of version 1 on the same
 * held-out slice; version 2 in shadow (every event scored by both, only version 1's served), then on a canary of half
 * the users (sticky), ahead of version 1 online each time; promoted — every event after by version 2. Throughout,
 * every event is predicted and stored exactly once with the version that answered, and every label is evaluated
 * exactly once. Refused rollouts (a label on a version not served, a model the server does not have, a config that is
 * not one) change nothing. Shortened: 2,000 events a phase, labels for all of them at once, a window of one phase.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pipeline.topics.partitions=2", "pipeline.sessions.enabled=false", "pipeline.evaluation.enabled=true",
        "pipeline.evaluation.window-size=" + ModelLifecycleIntegrationTests.WINDOW,
        "pipeline.inference.models.events.version-label=stable",
        "pipeline.inference.models.events.canary.label=canary",
        "pipeline.inference.models.events.canary.share=0.5",
        "pipeline.inference.models.events.shadow-label=shadow",
        // A shadow doubles a poll's worst-case Predict calls; 200 records keep it inside max.poll.interval.ms.
        "spring.kafka.consumer.max-poll-records=200"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ModelLifecycleIntegrationTests {

    static final int PHASE = 2_000;
    /** A phase per window: a few hundred events come from a few visitors, too few to judge a model by. */
    static final int WINDOW = PHASE;
    /** Fifty events a second of simulated time: a phase's events come from a hundred visitors or more. */
    static final double RATE = 50;
    static final String MODEL = DemoModelTrainer.EVENT_MODEL;

    private static final Logger log = LoggerFactory.getLogger(ModelLifecycleIntegrationTests.class);
    static final Path MODELS = versionOne();
    static final TestRedis redis = TestRedis.start();
    static final LocalModelServer model = LocalModelServer.start(MODELS, 0, Duration.ofSeconds(1));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", redis::port);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + model.port());
        registry.add("spring.kafka.streams.state-dir", StateDirs::fresh);
    }

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    TopicsProperties topics;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    StringRedisTemplate redisTemplate;
    @Autowired
    RedisKeys keys;
    @Autowired
    MeterRegistry meters;

    private final List<String> rows = new ArrayList<>();

    @Test
    void retrainsAfterDriftAndRollsTheBetterVersionOutWithoutARestart(@TempDir Path exportDir) throws Exception {
        StoredPredictions stored = new StoredPredictions(redisTemplate, keys);
        Expected expected = new Expected();

        // Version 1 on the traffic it was trained for.
        Phase before = send(11, false);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(before.ids()));
        assertThat(stored.read(before.ids())).extracting(Prediction::getModelVersion).containsOnly(1L);
        expected.add(1, before.ids().size());
        Map<String, Object> stableBefore = awaitEvaluations(expected).get(1L);
        row("before the drift", "stable 1", stored.read(before.ids()), expected);

        // The bots drift: version 1's online AUC drops.
        Instant driftStart = Instant.now();
        Phase drifted = send(12, true);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(drifted.ids()));
        expected.add(1, drifted.ids().size());
        Map<String, Object> stableDrifted = awaitEvaluations(expected).get(1L);
        row("bots drift", "stable 1", stored.read(drifted.ids()), expected);
        assertThat(auc(stableDrifted)).as("version 1's online AUC after the drift").isLessThan(auc(stableBefore) - 0.08);

        // The labelled traffic since the drift, exported from the topics; version 2 trained on it.
        ExportTrainingData.main(new String[] {"--bootstrap-servers", broker.getBrokersAsString(), "--from",
                driftStart.toString(), "--out", exportDir.toString()});
        ModelRetrainer.Result retrained = ModelRetrainer.retrain(exportDir, MODELS, MODEL, 1L);
        log.info("Retrained: {}", retrained);
        assertThat(retrained.version()).isEqualTo(2);
        assertThat(retrained.trainRows() + retrained.heldOutRows()).isEqualTo(drifted.ids().size());
        assertThat(retrained.candidate().auc()).as("version 2's held-out AUC, version 1's " + retrained.served().auc())
                .isGreaterThan(retrained.served().auc() + 0.05);
        model.rescan();

        RestClient actuator = Management.operator(managementPort);
        assertThat(reload(RestClient.create("http://127.0.0.1:" + managementPort), config(Map.of("stable", 2L))))
                .as("anyone but an operator").isEqualTo(401);
        assertThat(reload(actuator, config(Map.of("stable", 3L)))).as("a label on a version not served").isEqualTo(409);
        assertThat(reload(actuator, config(Map.of("stable", 1L)).replace("clickstream-session", "no-such-model")))
                .as("a model the server does not have").isEqualTo(400);
        assertThat(reload(actuator, "model_config_list { config { name: ")).as("not a config").isEqualTo(400);
        assertThat(modelVersions().get("label_version")).as("stable's version after refused reloads").isEqualTo(1);

        // Shadow: every event scored by version 2 as well, into s2-shadow and the evaluation; version 1 serves.
        assertThat(reload(actuator, config(Map.of("stable", 1L, "canary", 1L, "shadow", 2L)))).isEqualTo(200);
        Phase shadowed = send(13, true);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(shadowed.ids()));
        assertThat(stored.read(shadowed.ids())).extracting(Prediction::getModelVersion).containsOnly(1L);
        expected.add(1, shadowed.ids().size());
        expected.add(2, shadowed.ids().size());
        Map<Long, Map<String, Object>> inShadow = awaitEvaluations(expected);
        row("version 2 in shadow", "stable 1, shadow 2", stored.read(shadowed.ids()), expected);
        assertThat(auc(inShadow.get(2L))).as("online AUC of the shadow, of stable " + auc(inShadow.get(1L)))
                .isGreaterThan(auc(inShadow.get(1L)) + 0.05);

        // Canary: half of the users (sticky, by their key) on version 2.
        assertThat(reload(actuator, config(Map.of("stable", 1L, "canary", 2L)))).isEqualTo(200);
        Phase canaried = send(14, true);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(canaried.ids()));
        List<Prediction> onCanary = stored.read(canaried.ids());
        Map<String, Set<Long>> versionsByUser = onCanary.stream().collect(Collectors.groupingBy(
                Prediction::getEntityKey, Collectors.mapping(Prediction::getModelVersion, Collectors.toSet())));
        assertThat(versionsByUser).as("one version per user").allSatisfy((user, versions) -> assertThat(versions)
                .hasSize(1));
        long usersOnTwo = versionsByUser.values().stream().filter(v -> v.contains(2L)).count();
        assertThat(usersOnTwo).as("users on the canary, of " + versionsByUser.size())
                .isBetween(versionsByUser.size() / 4L, versionsByUser.size() * 3L / 4);
        onCanary.forEach(prediction -> expected.add(prediction.getModelVersion(), 1));
        Map<Long, Map<String, Object>> inCanary = awaitEvaluations(expected);
        row("version 2 on a canary", "stable 1, canary 2", onCanary, expected);
        assertThat(auc(inCanary.get(2L))).as("online AUC of the canary, of stable " + auc(inCanary.get(1L)))
                .isGreaterThan(auc(inCanary.get(1L)));

        // Promotion, with the command this time (the file TF Serving's --model_config_file reads): every event by
        // version 2. Dropping the shadow label earlier stopped only the shadow's predictions.
        Path promotion = exportDir.resolve("models.config");
        Files.writeString(promotion, config(Map.of("stable", 2L, "canary", 2L)));
        ReloadModelConfig.main(new String[] {"--file", promotion.toString(), "--server", "127.0.0.1:" + model.port()});
        Phase promoted = send(15, true);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(promoted.ids()));
        assertThat(stored.read(promoted.ids())).extracting(Prediction::getModelVersion).containsOnly(2L);
        expected.add(2, promoted.ids().size());
        awaitEvaluations(expected);
        row("version 2 promoted", "stable 2", stored.read(promoted.ids()), expected);
        log.info("Model lifecycle, online metrics per phase (window of the last {} labelled per version):\n{}", WINDOW,
                String.join("\n", rows));

        // Nothing lost or predicted twice, each prediction with the version that answered; the shadow's only while
        // its label pointed at version 2.
        List<String> all = new ArrayList<>();
        for (Phase phase : List.of(before, drifted, shadowed, canaried, promoted)) {
            all.addAll(phase.ids());
        }
        List<Prediction> published = KafkaTestClients.readAll(broker.getBrokersAsString(), topics.predictions(),
                all.size(), Duration.ofMinutes(1), Duration.ofSeconds(2)).stream().map(ConsumerRecord::value)
                .map(ModelLifecycleIntegrationTests::prediction).toList();
        Map<String, Long> copies = published.stream().collect(Collectors.groupingBy(Prediction::getEventId,
                Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(copies.values()).as("predictions per event in s2").containsOnly(1L);
        assertThat(published).extracting(Prediction::getModelVersion).containsOnly(1L, 2L);
        Map<String, Long> shadowCopies = KafkaTestClients.readAll(broker.getBrokersAsString(),
                        topics.shadowPredictions(), shadowed.ids().size(), Duration.ofMinutes(1), Duration.ofSeconds(2))
                .stream().map(ConsumerRecord::value).map(ModelLifecycleIntegrationTests::prediction)
                .filter(p -> p.getModelVersion() == 2).collect(Collectors.groupingBy(Prediction::getEventId,
                        Collectors.counting()));
        assertThat(shadowCopies.keySet()).containsExactlyInAnyOrderElementsOf(shadowed.ids());
        assertThat(shadowCopies.values()).containsOnly(1L);
        assertThat(meters.get("pipeline.inference.shadow.failures").counter().count()).isPositive();

        // The API asks the model server at most every 5 s; the command moved the labels behind its back.
        await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(2).equals(modelVersions()
                .get("label_version")));
        Map<?, ?> versions = modelVersions();
        assertThat(versions.get("pinned_label")).isEqualTo("stable");
        assertThat((List<?>) versions.get("versions")).extracting(v -> ((Map<?, ?>) v).get("version"),
                v -> ((Map<?, ?>) v).get("labels")).containsExactly(org.assertj.core.groups.Tuple.tuple(2, List.of(
                "stable")), org.assertj.core.groups.Tuple.tuple(1, List.of()));
    }

    private Map<?, ?> modelVersions() {
        return RestClient.create("http://127.0.0.1:" + port).get().uri("/api/v1/models/{name}/versions", MODEL)
                .retrieve().body(Map.class);
    }

    /** One phase's traffic, sent with a label for every event: its event ids. */
    record Phase(List<String> ids) {
    }

    /** Labelled predictions each version must have been evaluated on so far: each label exactly once. */
    static final class Expected {
        final Map<Long, Long> labelled = new java.util.TreeMap<>();

        void add(long version, long count) {
            labelled.merge(version, count, Long::sum);
        }
    }

    /** Waits until each version's labelled count is exactly what was sent (no more: nothing evaluated twice). */
    @SuppressWarnings("unchecked")
    private Map<Long, Map<String, Object>> awaitEvaluations(Expected expected) {
        RestClient api = RestClient.create("http://127.0.0.1:" + port);
        Map<Long, Map<String, Object>> byVersion = new java.util.TreeMap<>();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            Map<String, Object> body = api.get().uri("/api/v1/models/{name}/versions", MODEL).retrieve()
                    .body(Map.class);
            byVersion.clear();
            for (Map<String, Object> version : (List<Map<String, Object>>) body.get("versions")) {
                Map<String, Object> evaluation = (Map<String, Object>) version.get("evaluation");
                if (evaluation != null) {
                    byVersion.put(((Number) version.get("version")).longValue(), evaluation);
                }
            }
            Map<Long, Long> labelled = byVersion.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> ((Number) e.getValue().get("labelled")).longValue()));
            assertThat(labelled).isEqualTo(expected.labelled);
        });
        return byVersion;
    }

    private void row(String phase, String labels, List<Prediction> predictions, Expected expected) {
        Map<Long, Long> served = predictions.stream().collect(Collectors.groupingBy(Prediction::getModelVersion,
                java.util.TreeMap::new, Collectors.counting()));
        Map<Long, Map<String, Object>> metrics = awaitEvaluations(expected);
        rows.add(String.format("| %s | %s | %s | %s | %s |", phase, labels, served, cell(metrics.get(1L)),
                cell(metrics.get(2L))));
    }

    private static String cell(Map<String, Object> evaluation) {
        return evaluation == null ? "–" : String.format("%.3f / %.3f / %.3f", auc(evaluation),
                ((Number) evaluation.get("accuracy")).doubleValue(), ((Number) evaluation.get("log_loss")).doubleValue());
    }

    private static double auc(Map<String, Object> evaluation) {
        return ((Number) evaluation.get("auc")).doubleValue();
    }

    /** {@value #PHASE} events of the simulator — its bots drifted or not — each with its label, sent at once. */
    private Phase send(long seed, boolean drifted) {
        long start = System.currentTimeMillis();
        ClickstreamSimulator simulator = new ClickstreamSimulator(seed, start, RATE, 0);
        if (drifted) {
            simulator.driftAt(start);
        }
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            List<ProducerRecord<byte[], byte[]>> labels = new ArrayList<>();
            for (int i = 0; i < PHASE; i++) {
                DemoEvent event = simulator.next();
                byte[] key = event.key().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topics.events(), key, event.value()));
                ids.add(event.eventId());
                labels.add(new ProducerRecord<>(topics.labels(), key, Label.newBuilder().setEventId(event.eventId())
                        .setEntityKey(event.key()).setLabel(event.bot() ? "bot" : "human").setSource("scenario")
                        .setLabelledAtMs(System.currentTimeMillis()).build().toByteArray()));
            }
            labels.forEach(producer::send);
        }
        return new Phase(ids);
    }

    private static Prediction prediction(byte[] value) {
        try {
            return Prediction.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static int reload(RestClient actuator, String config) {
        return actuator.post().uri("/actuator/modelconfig").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("config", config)).exchange((request, response) -> response.getStatusCode().value());
    }

    /** Both models, as TF Serving's reload replaces the whole list: the event model's versions 1 and 2 served. */
    private static String config(Map<String, Long> labels) {
        StringBuilder text = new StringBuilder("model_config_list {\n  config {\n    name: \"" + MODEL + "\"\n"
                + "    base_path: \"/models/" + MODEL + "\"\n    model_platform: \"tensorflow\"\n"
                + "    model_version_policy { specific { versions: 1 versions: 2 } }\n");
        labels.forEach((label, version) -> text.append("    version_labels { key: \"").append(label)
                .append("\" value: ").append(version).append(" }\n"));
        return text.append("  }\n  config {\n    name: \"clickstream-session\"\n"
                + "    base_path: \"/models/clickstream-session\"\n    model_platform: \"tensorflow\"\n  }\n}\n")
                .toString();
    }

    /** The committed demo models, version 1 each; the event model's stable and canary labels on 1, no shadow yet. */
    private static Path versionOne() {
        try {
            Path base = Files.createTempDirectory("lifecycle-models");
            ModelFiles.copy(Path.of("models", MODEL, "1"), base.resolve(MODEL).resolve("1"));
            ModelFiles.copy(Path.of("models", DemoModelTrainer.SESSION_MODEL, "1"),
                    base.resolve(DemoModelTrainer.SESSION_MODEL).resolve("1"));
            Files.writeString(base.resolve(MODEL).resolve("labels.properties"), "stable=1\ncanary=1\n");
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
