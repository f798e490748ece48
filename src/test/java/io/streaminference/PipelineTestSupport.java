package io.streaminference;

import io.streaminference.topics.TopicsProperties;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests that run the whole app on real components: a redis-server process and the
 * deterministic gRPC model server, on fixed loopback ports so a test can stop either and bring it back where the
 * app expects it, plus helpers to feed s0 and read what came out. Subclasses add {@code @SpringBootTest} and
 * {@code @EmbeddedKafka}; each integration test class runs in its own JVM, so these statics are per class.
 */
abstract class PipelineTestSupport {

    static final int REDIS_PORT = freePort();
    static final int MODEL_PORT = freePort();
    static TestRedis redis = TestRedis.start(REDIS_PORT);
    static SigmoidModelServer model = SigmoidModelServer.start(MODEL_PORT);

    @DynamicPropertySource
    static void wireDependencies(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", () -> REDIS_PORT);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + MODEL_PORT);
        registry.add("spring.kafka.streams.state-dir", StateDirs::fresh);
    }

    @AfterAll
    static void stopDependencies() {
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

    static void restartModel() {
        model = SigmoidModelServer.start(MODEL_PORT);
    }

    static void restartRedis() {
        redis = TestRedis.start(REDIS_PORT);
    }

    /** Produces {@code count} valid events to s0 with ids {@code <prefix>-0 …}, keyed by user id. */
    List<String> produceValid(String prefix, int count) {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < count; i++) {
                String json = ClickEvents.valid(i).replace("\"" + ClickEvents.eventId(i) + "\"", "\"" + ids.get(i) + "\"");
                producer.send(new ProducerRecord<>(topics.events(), utf8(ClickEvents.userId(i)), utf8(json)));
            }
        }
        return ids;
    }

    StoredPredictions stored() {
        return new StoredPredictions(redisTemplate, keys);
    }

    /** Reads a topic from the beginning with read_committed; see {@link KafkaTestClients#readAll}. */
    List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration timeout, Duration settle) {
        return KafkaTestClients.readAll(broker.getBrokersAsString(), topic, expected, timeout, settle);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static int freePort() {
        try {
            return TestRedis.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
