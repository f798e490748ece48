package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.AppProcess;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.ClickEvents.Malformed;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestBroker;
import io.streaminference.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Exactly-once through a crash: the packaged jar (the production heap, {@code -Xmx256m}) is SIGKILLed twice while
 * 20,000 events flow through it — a quarter of the way through, and again once the restarted app is at work — and
 * restarted each time. Afterwards s1 and s2 (read_committed) hold every valid event
 * exactly once, Redis holds every one, and s0-dlt holds exactly the malformed ones.
 *
 * <p>It fails with transactions off: {@code ./mvnw verify -Dit.test=CrashRecoveryIntegrationTests
 * -Dcrash.delivery=at-least-once} runs the same app at-least-once, and the batches that were published but not
 * committed when the process died come back as duplicates in s1 and s2.
 */
class CrashRecoveryIntegrationTests {

    static final int EVENTS = 20_000;
    static final Path LOGS = Path.of("target", "crash-test");
    static EmbeddedKafkaKraftBroker broker;
    static TestRedis redis;
    static SigmoidModelServer model;

    @BeforeAll
    static void startDependencies() {
        assumeThat(AppProcess.jar()).as("the packaged jar (./mvnw verify packages it before the integration tests)")
                .isNotNull();
        broker = TestBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic("s0", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        redis = TestRedis.start();
        model = SigmoidModelServer.start();
        // Slow enough that batches are in flight at every stage when the process dies.
        model.delay(Duration.ofMillis(20));
    }

    @AfterAll
    static void stopDependencies() {
        AppProcess.killAll();
        if (broker != null) {
            model.close();
            redis.stop();
            broker.destroy();
        }
    }

    @Test
    void deliversEveryEventExactlyOnceThroughTwoSigkills() {
        Map<String, String> malformed = new java.util.HashMap<>();
        List<String> valid = produce(malformed);

        // First kill a quarter of the way through; the second as soon as the restarted app is at work again.
        AppProcess app = startApp();
        for (double scored : new double[] {0.25 * EVENTS, 2_000}) {
            AppProcess running = app;
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> running.counter("pipeline_records_out_total", "stage=\"inference\"") >= scored);
            running.kill();
            app = startApp();
        }
        LettuceConnectionFactory connections = TestRedis.connect(redis.port());
        try (AppProcess last = app) {
            StoredPredictions stored = new StoredPredictions(new StringRedisTemplate(connections), new RedisKeys("si:"));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> stored.allStored(valid));
        } finally {
            connections.destroy();
        }

        assertOncePerEvent("s1", EventIdReader::ofFeatures, valid);
        assertOncePerEvent("s2", EventIdReader::ofPrediction, valid);
        List<ConsumerRecord<byte[], byte[]>> letters = KafkaTestClients.readAll(broker.getBrokersAsString(), "s0-dlt",
                malformed.size(), Duration.ofSeconds(30), Duration.ofSeconds(2));
        assertThat(letters).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(malformed.keySet());
    }

    private static List<String> produce(Map<String, String> malformed) {
        List<Malformed> kinds = ClickEvents.malformedKinds();
        List<String> valid = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < EVENTS; i++) {
                if (i % 100 == 42) {
                    Malformed bad = kinds.get((i / 100) % kinds.size());
                    malformed.put("bad-" + i, bad.reason());
                    producer.send(new ProducerRecord<>("s0", ClickEvents.utf8("bad-" + i), bad.value()));
                } else {
                    valid.add(ClickEvents.eventId(i));
                    producer.send(new ProducerRecord<>("s0", ClickEvents.utf8(ClickEvents.userId(i)),
                            ClickEvents.utf8(ClickEvents.valid(i))));
                }
            }
        }
        return valid;
    }

    private static void assertOncePerEvent(String topic, Function<byte[], String> eventId, List<String> valid) {
        Map<String, Long> copies = KafkaTestClients.readAll(broker.getBrokersAsString(), topic, valid.size(),
                        Duration.ofSeconds(60), Duration.ofSeconds(2)).stream()
                .map(ConsumerRecord::value).map(eventId)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Set<String> duplicated = new HashSet<>();
        copies.forEach((id, count) -> {
            if (count > 1) {
                duplicated.add(id);
            }
        });
        assertThat(duplicated).as("events more than once in " + topic).isEmpty();
        assertThat(copies.keySet()).as("events in " + topic).containsExactlyInAnyOrderElementsOf(valid);
    }

    private static AppProcess startApp() {
        return AppProcess.start(LOGS.resolve("app.log"), List.of(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.data.redis.port=" + redis.port(),
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                "--pipeline.topics.partitions=3",
                // A killed consumer stays in its group until its session times out, and the restarted app's consumers
                // wait for that: 45 s by default, 6 s here (the broker's minimum).
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=2000",
                // Stable across restarts, as a pod name is: the restarted app aborts what the killed one left open.
                "--pipeline.kafka.transaction-id-prefix=crash-test-",
                "--pipeline.kafka.delivery=" + System.getProperty("crash.delivery", "exactly-once")));
    }
}
