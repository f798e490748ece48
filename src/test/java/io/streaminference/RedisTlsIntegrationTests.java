package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestCertificates;
import io.streaminference.testing.TlsRedis;
import io.streaminference.topics.TopicsProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.client.RestClient;

/**
 * Redis as production runs it — Debian's redis-server with TLS only and an ACL user limited to the commands the app
 * uses on its key prefix ({@link #ACL}, the README's) — through the standard {@code spring.data.redis.*} keys and an
 * SSL bundle: a wrong password and an untrusted server certificate each fail closed (Redis not ready, the sink paused,
 * nothing written), and once both are right every event is stored, the dead-letter log and the API's reads work, and
 * Redis logged no command the user was refused.
 */
@EmbeddedKafka(kraft = true)
class RedisTlsIntegrationTests {

    /** The pipeline's user: the app's commands only, on its key prefix only. */
    static final String ACL = "user pipeline on >pipeline-test-password resetkeys ~si:* resetchannels -@all"
            + " +hello +auth +client|setname +ping +info +select"
            + " +evalsha +script|load +hget +hmget +hset +hgetall +pexpire +pexpireat +zrevrange"
            + " +psetex +set +get +lrem +lpush +ltrim +lrange +sadd +smembers";
    static final int EVENTS = 100;

    static TestCertificates certificates;
    static TlsRedis redis;
    static SigmoidModelServer model;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(TlsRedis.available(), "Redis TLS tests skipped: no /usr/bin/redis-server and "
                + "/usr/bin/redis-cli (apt-get install redis-server; .ci/run does)");
        certificates = TestCertificates.create();
        redis = TlsRedis.start(certificates, List.of(ACL));
        model = SigmoidModelServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
            model.close();
        }
    }

    @Test
    void failsClosedOnAWrongPasswordOrAnUntrustedServerAndStoresEverythingOnceBothAreRight(EmbeddedKafkaBroker broker) {
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(ClickEvents::eventId).toList();
        try (ConfigurableApplicationContext wrongPassword = start(broker, WebApplicationType.NONE,
                certificates.caPem().toString(), "not-the-password")) {
            send(broker, wrongPassword.getBean(TopicsProperties.class));
            assertFailsClosed(wrongPassword);
        }
        try (ConfigurableApplicationContext untrusted = start(broker, WebApplicationType.NONE,
                certificates.otherCaPem().toString(), "pipeline-test-password")) {
            assertFailsClosed(untrusted);
        }

        assertThat(redis.admin("ACL", "LOG")).as("Redis's own record of the refused logins").contains("auth",
                "pipeline");
        redis.admin("ACL", "LOG", "RESET");
        try (ConfigurableApplicationContext right = start(broker, WebApplicationType.SERVLET,
                certificates.caPem().toString(), "pipeline-test-password")) {
            StoredPredictions stored = new StoredPredictions(right.getBean(StringRedisTemplate.class),
                    right.getBean(RedisKeys.class));
            await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> stored.read(ids).stream().filter(Objects::nonNull).count() == EVENTS);
            assertThat(right.getBean("redisHealthContributor", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);

            // The reads of the API and the dead-letter log's writes, under the same user.
            TopicsProperties topics = right.getBean(TopicsProperties.class);
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
                producer.send(new ProducerRecord<>(topics.events(), PipelineTestSupport.utf8("u-bad"),
                        PipelineTestSupport.utf8("{\"event_id\":\"bad-1\",\"user_id\":\"u-bad\"}")));
            }
            RestClient api = RestClient.create("http://127.0.0.1:"
                    + ((WebServerApplicationContext) right).getWebServer().getPort());
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(api.get()
                    .uri("/api/v1/events/bad-1/journey").retrieve().body(Map.class)).containsEntry("status",
                    "dead_lettered"));
            assertThat(api.get().uri("/api/v1/predictions/{id}", ids.get(0)).retrieve().body(Map.class))
                    .containsEntry("event_id", ids.get(0));
            assertThat(api.get().uri("/api/v1/entities/{key}/predictions", ClickEvents.userId(0)).retrieve()
                    .body(Map.class)).containsKey("predictions");
            assertThat(api.get().uri("/api/v1/dead-letters").retrieve().body(Map.class)).containsKey("kinds");
            assertThat(api.get().uri("/api/v1/events/{id}/journey", ids.get(0)).retrieve().body(Map.class))
                    .containsEntry("status", "stored");
        }
        assertThat(redis.admin("ACL", "LOG")).as("commands Redis refused the pipeline's user").isEmpty();
    }

    private static void assertFailsClosed(ConfigurableApplicationContext app) {
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        await().atMost(Duration.ofMinutes(1)).until(() -> meters.find("pipeline.breaker.open").tag("stage", "sink")
                .gauge() != null && meters.get("pipeline.breaker.open").tag("stage", "sink").gauge().value() == 1);
        assertThat(app.getBean("redisHealthContributor", HealthIndicator.class).health().getStatus())
                .isEqualTo(Status.DOWN);
        assertThat(redis.admin("DBSIZE")).as("nothing written").isEqualTo("0");
    }

    private static void send(EmbeddedKafkaBroker broker, TopicsProperties topics) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < EVENTS; i++) {
                producer.send(new ProducerRecord<>(topics.events(), PipelineTestSupport.utf8(ClickEvents.userId(i)),
                        PipelineTestSupport.utf8(ClickEvents.valid(i))));
            }
        }
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, WebApplicationType web,
            String trustedCa, String password) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                StateDirs.argument(),
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                "--pipeline.topics.partitions=2",
                "--pipeline.sessions.enabled=false",
                "--pipeline.breaker.probe-interval=500ms",
                "--server.port=0", "--management.server.port=0",
                // Redis over TLS (an SSL bundle trusting trustedCa) as the ACL user.
                "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.ssl.enabled=true",
                "--spring.data.redis.ssl.bundle=redis",
                "--spring.ssl.bundle.pem.redis.truststore.certificate=file:" + trustedCa,
                "--spring.data.redis.username=pipeline",
                "--spring.data.redis.password=" + password));
        return new SpringApplicationBuilder(StreamInferenceApplication.class).web(web).run(args.toArray(String[]::new));
    }
}
