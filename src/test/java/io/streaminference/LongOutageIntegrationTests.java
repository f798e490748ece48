package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * A model-server outage longer than max.poll.interval.ms (here 15 s, budget 20 x 300 ms + 5 s = 11 s) costs no
 * rebalance, no dead letter and no duplicate: the paused consumer keeps polling, and the backlog drains after.
 */
@SpringBootTest(properties = {"spring.kafka.consumer.max-poll-records=20",
        "spring.kafka.consumer.properties.max.poll.interval.ms=15000", "pipeline.inference.deadline=300ms",
        "pipeline.kafka.send-timeout=5s"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class LongOutageIntegrationTests {

    static final TestRedis redis = TestRedis.start();
    static final int MODEL_PORT = freePort();
    static SigmoidModelServer model = SigmoidModelServer.start(MODEL_PORT);

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", redis::port);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + MODEL_PORT);
        registry.add("pipeline.topics.partitions", () -> 2);
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
    MeterRegistry meters;

    @Test
    void ridesOutAnOutageLongerThanMaxPollIntervalWithoutRebalancingOrDeadLettering() {
        List<String> warmUp = produce("warm", 50);
        StoredPredictions stored = new StoredPredictions(redisTemplate, keys);
        await().atMost(Duration.ofMinutes(1)).until(() -> stored.allStored(warmUp));
        double rebalancesBefore = rebalances();

        model.close();
        List<String> ids = produce("long", 500);
        // Twice max.poll.interval.ms with the model server gone.
        await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> true);
        assertThat(stored.read(ids)).containsOnlyNulls();

        model = SigmoidModelServer.start(MODEL_PORT);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(ids));
        assertThat(rebalances()).isEqualTo(rebalancesBefore);
        assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), topics.deadLetterOf(topics.features()),
                Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO)).isEmpty();
        assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), topics.predictions(), 550,
                Duration.ofSeconds(30), Duration.ofSeconds(1))).hasSize(550);
    }

    /** Rebalances seen by the pipeline's consumers, from the Kafka client metrics Spring Boot binds. */
    private double rebalances() {
        List<FunctionCounter> counters = meters.find("kafka.consumer.coordinator.rebalance.total").functionCounters()
                .stream().toList();
        assertThat(counters).as("consumer rebalance metrics are bound").isNotEmpty();
        return counters.stream().mapToDouble(FunctionCounter::count).sum();
    }

    private List<String> produce(String prefix, int count) {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < count; i++) {
                String json = ClickEvents.valid(i).replace("\"" + ClickEvents.eventId(i) + "\"", "\"" + ids.get(i) + "\"");
                producer.send(new ProducerRecord<>(topics.events(), ClickEvents.userId(i).getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return ids;
    }

    private static int freePort() {
        try {
            return TestRedis.freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
