package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.sink.RedisKeys;
import io.streaminference.topics.TopicsProperties;
import io.streaminference.testing.AppProcess;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.ConfiguredTopics;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SessionAssertions;
import io.streaminference.testing.SessionTraffic;
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
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;

/**
 * Exactly-once through a crash: the packaged jar (the production heap, {@code -Xmx256m}) is SIGKILLed twice while
 * 20,000 generated events flow through it — a quarter of the way through, and again once the restarted app is at
 * work — and restarted each time. Afterwards s1 and s2 (read_committed) hold every valid event exactly once, Redis
 * holds every one, s0-dlt holds exactly the malformed ones, and s1-sessions and s2-sessions hold every session
 * exactly once and identical to a fault-free run (the offline reference, which the fault-free embedded-broker test
 * shows the stage equals).
 *
 * <p>It fails with transactions off: {@code ./mvnw verify -Dit.test=CrashRecoveryIntegrationTests
 * -Dcrash.delivery=at-least-once} runs the same app at-least-once, and the batches that were published but not
 * committed when the process died come back as duplicates in s1 and s2; {@code
 * -Dcrash.sessions.guarantee=at_least_once} does the same to the session stage, and sessions come twice.
 */
class CrashRecoveryIntegrationTests {

    static final int EVENTS = 20_000;
    static final int PARTITIONS = 3;
    static final TopicsProperties TOPICS = ConfiguredTopics.load();
    static final Duration GAP = Duration.ofSeconds(20);
    static final Path LOGS = Path.of("target", "crash-test");
    static EmbeddedKafkaKraftBroker broker;
    static TestRedis redis;
    static SigmoidModelServer model;

    @BeforeAll
    static void startDependencies() {
        assumeThat(AppProcess.jar()).as("the packaged jar (./mvnw verify packages it before the integration tests)")
                .isNotNull();
        FileSystemUtils.deleteRecursively(LOGS.resolve("state").toFile());
        broker = TestBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(TOPICS.events(), PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
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
    void deliversEveryEventAndEverySessionExactlyOnceThroughTwoSigkills() {
        SessionTraffic traffic = SessionTraffic.generate(3, EVENTS, 100, 0.01);
        List<String> valid = new ArrayList<>(traffic.validIds());
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            traffic.send(producer, TOPICS.events(), 0, EVENTS);
        }

        // First kill a quarter of the way through; the second as soon as the restarted app is at work again.
        AppProcess app = startApp();
        for (double scored : new double[] {0.25 * EVENTS, 2_000}) {
            AppProcess running = app;
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> running.counter("pipeline_records_out_total", "stage=\"inference\"") >= scored);
            running.kill();
            app = startApp();
        }
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            valid.addAll(traffic.flush(producer, TOPICS.events(), PARTITIONS));
        }
        LettuceConnectionFactory connections = TestRedis.connect(redis.port());
        try (AppProcess last = app) {
            StoredPredictions stored = new StoredPredictions(new StringRedisTemplate(connections), new RedisKeys("si:"));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> stored.allStored(valid));
            // While the app still runs: the session stage may close the last sessions after the last event is stored.
            SessionAssertions.assertExactlyOnce(broker.getBrokersAsString(), TOPICS, traffic.reference(GAP));
        } finally {
            connections.destroy();
        }

        assertSessionChangelogAgesByAppendTime();
        assertOncePerEvent(TOPICS.features(), EventIdReader::ofFeatures, valid);
        assertOncePerEvent(TOPICS.predictions(), EventIdReader::ofPrediction, valid);
        List<ConsumerRecord<byte[], byte[]>> letters = KafkaTestClients.readAll(broker.getBrokersAsString(), TOPICS.deadLetterOf(TOPICS.events()),
                traffic.malformed().size(), Duration.ofSeconds(30), Duration.ofSeconds(2));
        assertThat(letters).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(traffic.malformed());
    }

    /**
     * The session store's changelog is compact,delete; stamped with the events' time (2026-01-01 here), the broker's
     * retention check deleted state a restart then missed — the first event of a few sessions, once in a few runs.
     */
    private static void assertSessionChangelogAgesByAppendTime() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            String changelog = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.endsWith("-sessions-changelog")).findFirst().orElseThrow();
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value()).as(changelog)
                    .isEqualTo("LogAppendTime");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
                "--pipeline.topics.partitions=" + PARTITIONS,
                "--pipeline.sessions.inactivity-gap=" + GAP.toSeconds() + "s",
                "--pipeline.sessions.grace=2s",
                // Kept across restarts, as a pod's volume is; lost state is the restore test's case.
                "--spring.kafka.streams.state-dir=" + LOGS.resolve("state").toAbsolutePath(),
                "--spring.kafka.streams.properties.session.timeout.ms=6000",
                "--spring.kafka.streams.properties.heartbeat.interval.ms=2000",
                // A killed consumer stays in its group until its session times out, and the restarted app's consumers
                // wait for that: 45 s by default, 6 s here (the broker's minimum).
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=2000",
                // Stable across restarts, as a pod name is: the restarted app aborts what the killed one left open.
                "--pipeline.kafka.transaction-id-prefix=crash-test-",
                "--pipeline.kafka.delivery=" + System.getProperty("crash.delivery", "exactly-once"),
                "--spring.kafka.streams.properties.processing.guarantee="
                        + System.getProperty("crash.sessions.guarantee", "exactly_once_v2")));
    }
}
