package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.contract.SessionFeatures;
import io.streaminference.testing.AppProcess;
import io.streaminference.testing.ConfiguredTopics;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SessionAssertions;
import io.streaminference.testing.SessionTraffic;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.TestBroker;
import io.streaminference.testing.TestRedis;
import io.streaminference.topics.TopicsProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;

/**
 * The session stage's state outlives its instances, on the packaged jar as a user runs it: a second instance that
 * joins mid-stream and leaves again, and a restart with the local state directory deleted (restored from the changelog
 * topics), leave every session whole — s1-sessions and s2-sessions hold each once and equal to the offline reference.
 */
class SessionStateIntegrationTests {

    static final int EVENTS = 9_000;
    static final int PARTITIONS = 3;
    static final Duration GAP = Duration.ofSeconds(20);
    static final TopicsProperties TOPICS = ConfiguredTopics.load();
    static final Path LOGS = Path.of("target", "session-state-test");
    static TestRedis redis;
    static SigmoidModelServer model;
    EmbeddedKafkaKraftBroker broker;
    Path work;
    SessionTraffic traffic = SessionTraffic.generate(5, EVENTS, 100, 0.005);

    @BeforeAll
    static void startDependencies() {
        assumeThat(AppProcess.jar()).as("the packaged jar (./mvnw verify packages it before the integration tests)")
                .isNotNull();
        redis = TestRedis.start();
        model = SigmoidModelServer.start();
    }

    @AfterAll
    static void stopDependencies() {
        if (model != null) {
            model.close();
            redis.stop();
        }
    }

    @BeforeEach
    void startBroker(TestInfo test) {
        work = LOGS.resolve(test.getTestMethod().orElseThrow().getName());
        FileSystemUtils.deleteRecursively(work.toFile());
        broker = TestBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(TOPICS.events(), PARTITIONS, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopBroker() {
        AppProcess.killAll();
        broker.destroy();
    }

    @Test
    void keepsEverySessionWholeWhenASecondInstanceJoinsAndLeaves() {
        try (AppProcess first = start("first")) {
            send(0, EVENTS / 3);
            await().atMost(Duration.ofMinutes(2)).until(() -> consumed(first) >= EVENTS / 6.0);
            double second;
            try (AppProcess joining = start("second")) {
                send(EVENTS / 3, 2 * EVENTS / 3);
                await().atMost(Duration.ofMinutes(2)).until(() -> consumed(joining) > 0);
                second = consumed(joining);
            }
            send(2 * EVENTS / 3, EVENTS);
            flush();
            SessionAssertions.assertExactlyOnce(broker.getBrokersAsString(), TOPICS, reference());
            assertThat(second).as("events the joining instance's session stage took").isPositive();
        }
    }

    @Test
    void restoresTheSessionsFromTheChangelogWhenTheStateDirectoryIsLost() throws Exception {
        double before;
        try (AppProcess app = start("app")) {
            send(0, EVENTS / 2);
            int valid = (int) traffic.events().subList(0, EVENTS / 2).stream().filter(e -> !e.malformed()).count();
            await().atMost(Duration.ofMinutes(2)).until(() -> consumed(app) >= valid);
            before = consumed(app);
        }
        Path state = stateDir("app");
        assertThat(state).isNotEmptyDirectory();
        FileSystemUtils.deleteRecursively(state);
        assertThat(Files.exists(state)).isFalse();

        try (AppProcess restarted = start("app")) {
            send(EVENTS / 2, EVENTS);
            flush();
            // Sessions that span the restart come out whole only if their first half came back from the changelog.
            SessionAssertions.assertExactlyOnce(broker.getBrokersAsString(), TOPICS, reference());
        }
        assertThat(before).isPositive();
    }

    private AppProcess start(String name) {
        return AppProcess.start(work.resolve(name + ".log"), List.of(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.data.redis.port=" + redis.port(),
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                "--pipeline.topics.partitions=" + PARTITIONS,
                "--pipeline.sessions.inactivity-gap=" + GAP.toSeconds() + "s",
                "--pipeline.sessions.grace=2s",
                "--spring.kafka.streams.state-dir=" + stateDir(name).toAbsolutePath(),
                // A joining instance without state takes over tasks at once (its lag to the changelogs counts as
                // caught up) rather than at the next probing rebalance, 10 minutes later.
                "--spring.kafka.streams.properties.acceptable.recovery.lag=1000000",
                // A stopped instance's tasks and partitions move on after the session timeout, the broker's minimum here.
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=2000",
                "--spring.kafka.streams.properties.session.timeout.ms=6000",
                "--spring.kafka.streams.properties.heartbeat.interval.ms=2000",
                "--logging.level.io.streaminference.sessions=DEBUG",
                "--pipeline.kafka.transaction-id-prefix=" + name + "-"));
    }

    private Path stateDir(String name) {
        return work.resolve(name + "-state");
    }

    private static double consumed(AppProcess app) {
        return app.counter("pipeline_records_in_total", "stage=\"sessions\"");
    }

    private void send(int from, int to) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            traffic.send(producer, TOPICS.events(), from, to);
        }
    }

    private void flush() {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            traffic.flush(producer, TOPICS.events(), PARTITIONS);
        }
    }

    private Map<String, SessionFeatures> reference() {
        return traffic.reference(GAP);
    }
}
