package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.StreamInferenceApplication;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A request the model refuses as a whole — a wrong input name, a version label it does not serve — is the fault of
 * the configuration or the model, not of the rows, on the TensorFlow-backed model server: nothing is dead-lettered,
 * the inference stage pauses, and once the setting or the model is fixed every event is scored exactly once.
 */
@EmbeddedKafka(kraft = true, partitions = 2)
class ModelRequestFaultIntegrationTests {

    static final int EVENTS = 300;
    static Path models;
    static TestRedis redis;
    static LocalModelServer modelServer;

    @BeforeAll
    static void start(@TempDir Path temp) throws IOException {
        models = temp.resolve("models");
        ModelFiles.copy(Path.of("models"), models);
        redis = TestRedis.start();
        modelServer = LocalModelServer.start(models, 0, Duration.ofMillis(200));
    }

    @AfterAll
    static void stop() {
        modelServer.close();
        redis.stop();
    }

    @Test
    void aWrongInputNameDeadLettersNothingAndEveryEventIsScoredOnceAfterTheFix(EmbeddedKafkaBroker broker) {
        List<String> ids = produce(broker, "input");
        try (ConfigurableApplicationContext wrong = start(broker, "--pipeline.inference.models.events.input-name=dense_input")) {
            awaitInferencePaused(wrong);
            assertThat(stored(wrong).read(ids)).containsOnlyNulls();
        }
        assertNoDeadLetters(broker, "input");
        try (ConfigurableApplicationContext fixed = start(broker)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> stored(fixed).allStored(ids));
        }
        assertScoredOnce(broker, "input", ids);
        assertNoDeadLetters(broker, "input");
    }

    @Test
    void anUnknownVersionLabelDeadLettersNothingAndEveryEventIsScoredOnceWhenTheModelServesIt(
            EmbeddedKafkaBroker broker) throws IOException {
        List<String> ids = produce(broker, "label");
        try (ConfigurableApplicationContext app = start(broker, "--pipeline.inference.models.events.version-label=canary")) {
            awaitInferencePaused(app);
            assertThat(stored(app).read(ids)).containsOnlyNulls();
            assertNoDeadLetters(broker, "label");

            Files.writeString(models.resolve("clickstream-bot/labels.properties"), "canary=1\n");
            await().atMost(Duration.ofMinutes(1)).until(() -> stored(app).allStored(ids));
        } finally {
            Files.deleteIfExists(models.resolve("clickstream-bot/labels.properties"));
        }
        assertScoredOnce(broker, "label", ids);
        assertNoDeadLetters(broker, "label");
    }

    private static List<String> produce(EmbeddedKafkaBroker broker, String prefix) {
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> prefix + "-" + i).toList();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < EVENTS; i++) {
                String json = ClickEvents.valid(i).replace("\"" + ClickEvents.eventId(i) + "\"",
                        "\"" + ids.get(i) + "\"");
                producer.send(new ProducerRecord<>("s0", ClickEvents.utf8(ClickEvents.userId(i)),
                        ClickEvents.utf8(json)));
            }
        }
        return ids;
    }

    private static void awaitInferencePaused(ConfigurableApplicationContext app) {
        var inference = app.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("inference");
        await().atMost(Duration.ofMinutes(1)).until(inference::isPauseRequested);
    }

    private static void assertNoDeadLetters(EmbeddedKafkaBroker broker, String prefix) {
        assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), "s1-dlt", Integer.MAX_VALUE,
                Duration.ofSeconds(2), Duration.ZERO))
                .extracting(r -> EventIdReader.ofFeatures(r.value()))
                .noneMatch(id -> id.startsWith(prefix + "-"));
    }

    private static void assertScoredOnce(EmbeddedKafkaBroker broker, String prefix, List<String> ids) {
        Map<String, Long> copies = KafkaTestClients.readAll(broker.getBrokersAsString(), "s2", Integer.MAX_VALUE,
                        Duration.ofSeconds(5), Duration.ZERO).stream()
                .map(ConsumerRecord::value).map(EventIdReader::ofPrediction)
                .filter(id -> id.startsWith(prefix + "-"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(copies.values()).containsOnly(1L);
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                StateDirs.argument(),
                "--spring.data.redis.port=" + redis.port(),
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + modelServer.port(),
                "--pipeline.topics.partitions=2",
                "--pipeline.breaker.probe-interval=500ms"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(StreamInferenceApplication.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    private static StoredPredictions stored(ConfigurableApplicationContext app) {
        return new StoredPredictions(app.getBean(StringRedisTemplate.class), app.getBean(RedisKeys.class));
    }
}
