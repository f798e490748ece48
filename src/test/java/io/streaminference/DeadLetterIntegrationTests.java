package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.kafka.DeadLetterRedrive;
import io.streaminference.kafka.DeadLetters;
import io.streaminference.kafka.TopicsProperties;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bad records at s1 and s2 reach their stage's dead-letter topic alone, rows the model refuses are isolated from
 * their chunk, and a model-server outage is waited out without dead-lettering anything.
 */
@SpringBootTest(properties = "pipeline.inference.max-batch-size=16")
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class DeadLetterIntegrationTests {

    static final TestRedis redis = TestRedis.start();
    static final int MODEL_PORT = freePort();
    static SigmoidModelServer model = SigmoidModelServer.start(MODEL_PORT);

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", redis::port);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + MODEL_PORT);
        registry.add("pipeline.topics.partitions", () -> 1);
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
    @Autowired
    DeadLetterRedrive redrive;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void deadLettersOnlyTheBadRecordsOfEachStageAndScoresTheirNeighbours() {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < 40; i++) {
                float first = i == 7 || i == 23 ? SigmoidModelServer.POISON : 0.01f * i;
                producer.send(new ProducerRecord<>(topics.features(), utf8("u"), features("dl-" + i, first).toByteArray()));
            }
            producer.send(new ProducerRecord<>(topics.features(), utf8("undecodable"), utf8("\u0001not protobuf")));
            producer.send(new ProducerRecord<>(topics.features(), utf8("short"),
                    Features.newBuilder().setEventId("short").setSchemaVersion(FeatureSchema.VERSION).addValues(1)
                            .build().toByteArray()));
            producer.send(new ProducerRecord<>(topics.features(), utf8("v2"),
                    features("v2", 0).toBuilder().setSchemaVersion(2).build().toByteArray()));
            producer.send(new ProducerRecord<>(topics.predictions(), utf8("bad-prediction"), utf8("\u0002garbage")));
        }

        List<String> scored = IntStream.range(0, 40).filter(i -> i != 7 && i != 23).mapToObj(i -> "dl-" + i).toList();
        await().atMost(Duration.ofMinutes(1)).until(() -> scored.stream()
                .allMatch(id -> Boolean.TRUE.equals(redisTemplate.hasKey(new String(keys.prediction(id), StandardCharsets.UTF_8)))));

        Map<String, String> s1Reasons = reasonsByKey(topics.deadLetterOf(topics.features()), 5);
        assertThat(s1Reasons).containsOnly(
                Map.entry("u", "rejected_by_model"),
                Map.entry("undecodable", "undecodable"),
                Map.entry("short", "wrong_feature_count"),
                Map.entry("v2", "unsupported_schema_version"));
        List<ConsumerRecord<byte[], byte[]>> refused = KafkaTestClients.readAll(broker.getBrokersAsString(),
                topics.deadLetterOf(topics.features()), 5, Duration.ofSeconds(10), Duration.ZERO).stream()
                .filter(r -> header(r, DeadLetters.REASON_HEADER).equals("rejected_by_model")).toList();
        assertThat(refused).hasSize(2).allSatisfy(r -> assertThat(header(r, "dlt-model-name"))
                .isEqualTo(SigmoidModelServer.MODEL));
        assertThat(refused).extracting(r -> parseEventId(r.value())).containsExactlyInAnyOrder("dl-7", "dl-23");

        assertThat(reasonsByKey(topics.deadLetterOf(topics.predictions()), 1))
                .containsExactly(Map.entry("bad-prediction", "undecodable"));

        // After a fix (the model now accepts those rows) the refused rows are redriven and scored.
        model.refusePoison(false);
        try {
            DeadLetterRedrive.Result result = redrive.redrive(topics.deadLetterOf(topics.features()), null, null, null);
            assertThat(result.redriven()).isEqualTo(5);
            await().atMost(Duration.ofMinutes(1)).until(() -> Stream.of("dl-7", "dl-23").allMatch(id ->
                    Boolean.TRUE.equals(redisTemplate.hasKey(new String(keys.prediction(id), StandardCharsets.UTF_8)))));
        } finally {
            model.refusePoison(true);
        }
    }

    @Test
    void pausesDuringAModelServerOutageResumesAfterItAndDeadLettersNothing() {
        model.close();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topics.features(), utf8("u"), features("outage-" + i, 0.1f).toByteArray()));
            }
        }
        // Persistent failures pause the listener instead of retrying hot.
        MessageListenerContainer inference = listeners.getListenerContainer("inference");
        await().atMost(Duration.ofSeconds(30)).until(inference::isPauseRequested);
        assertThat(redisTemplate.hasKey(new String(keys.prediction("outage-0"), StandardCharsets.UTF_8))).isFalse();

        model = SigmoidModelServer.start(MODEL_PORT);
        await().atMost(Duration.ofSeconds(10)).until(() -> !inference.isPauseRequested());
        await().atMost(Duration.ofMinutes(1)).until(() -> IntStream.range(0, 20).allMatch(i -> Boolean.TRUE.equals(
                redisTemplate.hasKey(new String(keys.prediction("outage-" + i), StandardCharsets.UTF_8)))));
        assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), topics.deadLetterOf(topics.features()),
                Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO))
                .noneMatch(r -> parseEventId(r.value()).startsWith("outage-"));
    }

    private Map<String, String> reasonsByKey(String topic, int expected) {
        return KafkaTestClients.readAll(broker.getBrokersAsString(), topic, expected, Duration.ofSeconds(30),
                        Duration.ofMillis(500)).stream()
                .collect(Collectors.toMap(r -> new String(r.key(), StandardCharsets.UTF_8),
                        r -> header(r, DeadLetters.REASON_HEADER), (a, b) -> a));
    }

    private static Features features(String eventId, float first) {
        Features.Builder features = Features.newBuilder().setEventId(eventId).setEntityKey("u")
                .setSchemaVersion(FeatureSchema.VERSION).setEventTimeMs(1_767_225_600_000L).addValues(first);
        for (int j = 1; j < FeatureSchema.SIZE; j++) {
            features.addValues(0.5f);
        }
        return features.build();
    }

    private static String parseEventId(byte[] value) {
        try {
            return Features.parseFrom(value).getEventId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return "";
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try {
            return TestRedis.freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
