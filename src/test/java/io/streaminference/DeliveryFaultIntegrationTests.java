package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.contract.Features;
import io.streaminference.contract.Prediction;
import io.streaminference.kafka.TopicsProperties;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Exactly-once delivery under dependency failures, on real components: every event reaches s1, s2 and Redis once,
 * and an outage delays records but never dead-letters or duplicates them.
 */
@SpringBootTest(properties = {"pipeline.inference.deadline=300ms", "pipeline.kafka.send-timeout=5s"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class DeliveryFaultIntegrationTests {

    static final int REDIS_PORT = freePort();
    static TestRedis redis = TestRedis.start(REDIS_PORT);
    static final SigmoidModelServer model = SigmoidModelServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", () -> REDIS_PORT);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + model.port());
        registry.add("pipeline.topics.partitions", () -> 2);
    }

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
    }

    @AfterEach
    void healDependencies() {
        model.failRandomly(0);
        model.delay(Duration.ZERO);
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
    void deliversEveryEventExactlyOnceWhileOneModelCallInFiveFails() {
        model.failRandomly(0.2);
        List<String> ids = produce("flaky", 3_000);
        awaitStored(ids, Duration.ofMinutes(3));
        assertExactlyOnceInS1AndS2(ids);
        assertThat(deadLetters(topics.features())).noneMatch(id -> id.startsWith("flaky-"));
    }

    @Test
    void waitsOutAModelSlowerThanItsDeadline() {
        model.delay(Duration.ofSeconds(1));
        List<String> ids = produce("slow", 200);
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(new StoredPredictions(redisTemplate, keys).read(ids)).containsOnlyNulls();

        model.delay(Duration.ZERO);
        awaitStored(ids, Duration.ofMinutes(1));
        assertExactlyOnceInS1AndS2(ids);
        assertThat(deadLetters(topics.features())).noneMatch(id -> id.startsWith("slow-"));
    }

    @Test
    void waitsOutARedisOutage() {
        redis.stop();
        List<String> ids = produce("redis-down", 300);
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        redis = TestRedis.start(REDIS_PORT);
        awaitStored(ids, Duration.ofMinutes(1));
        assertExactlyOnceInS1AndS2(ids);
        assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), topics.deadLetterOf(topics.predictions()),
                Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO)).isEmpty();
    }

    private List<String> produce(String prefix, int count) {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < count; i++) {
                String json = ClickEvents.valid(i).replace("\"" + ClickEvents.eventId(i) + "\"", "\"" + ids.get(i) + "\"");
                producer.send(new ProducerRecord<>(topics.events(), utf8(ClickEvents.userId(i)), utf8(json)));
            }
        }
        return ids;
    }

    private void awaitStored(List<String> ids, Duration limit) {
        StoredPredictions stored = new StoredPredictions(redisTemplate, keys);
        await().atMost(limit).pollInterval(Duration.ofMillis(500)).until(() -> stored.allStored(ids));
    }

    private void assertExactlyOnceInS1AndS2(List<String> ids) {
        String prefix = ids.get(0).substring(0, ids.get(0).lastIndexOf('-') + 1);
        Map<String, Long> s1 = countByEventId(topics.features(), ids.size(), v -> parse(v, true));
        Map<String, Long> s2 = countByEventId(topics.predictions(), ids.size(), v -> parse(v, false));
        for (Map<String, Long> counts : List.of(s1, s2)) {
            Map<String, Long> ours = counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(ours.values()).as("copies per event").containsOnly(1L);
        }
    }

    private Map<String, Long> countByEventId(String topic, int atLeast, Function<byte[], String> eventId) {
        return KafkaTestClients.readAll(broker.getBrokersAsString(), topic, atLeast, Duration.ofSeconds(30),
                Duration.ofSeconds(1)).stream()
                .map(ConsumerRecord::value).map(eventId)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private List<String> deadLetters(String sourceTopic) {
        return KafkaTestClients.readAll(broker.getBrokersAsString(), topics.deadLetterOf(sourceTopic),
                Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO).stream()
                .map(r -> parse(r.value(), true)).toList();
    }

    private static String parse(byte[] value, boolean features) {
        try {
            return features ? Features.parseFrom(value).getEventId() : Prediction.parseFrom(value).getEventId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return "";
        }
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
