package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SecureKafka;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestCertificates;
import io.streaminference.testing.TestRedis;
import io.streaminference.topics.TopicsProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Kafka as production runs it: SASL_SSL with SCRAM-SHA-512 (the CA from an SSL bundle), the StandardAuthorizer with
 * no access unless an ACL grants it, and the app's principal granted exactly {@link #acls} (the README's list): every
 * event flows through every stage, the session stage's Kafka Streams included, and is stored exactly once. Then the
 * principal loses WRITE on s1: the preprocess stage fails closed — nothing reaches s1 past the failure, nothing is
 * dead-lettered, no offset commits, {@code kafkaAccess} health is DOWN naming the stage and topic — and once the ACL is back every event arrives, exactly once, without a restart.
 */
class KafkaSecurityIntegrationTests {

    static final String PRINCIPAL = "User:pipeline";
    static final String PASSWORD = "pipeline-test-password";
    static final int EVENTS = 100;

    static TestCertificates certificates;
    static SecureKafka kafka;
    static TestRedis redis;
    static SigmoidModelServer model;

    @BeforeAll
    static void startDependencies() throws Exception {
        certificates = TestCertificates.create();
        kafka = SecureKafka.start(certificates);
        kafka.addUser("pipeline", PASSWORD);
        redis = TestRedis.start();
        model = SigmoidModelServer.start();
    }

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
        kafka.close();
    }

    /**
     * What the app's principal needs: on every topic of {@code pipeline.topics} and its dead-letter topic, read and
     * write (a redrive writes back to the source) and creating and describing it; on the Kafka Streams stages'
     * internal topics (prefixed by their application ids) what Streams does with them; its consumer groups (prefixed
     * {@code stream-inference}); its transactional ids (prefixed {@code stream-inference-}).
     */
    static List<AclBinding> acls(String principal, List<String> topics) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : topics) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                    AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)) {
                acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, operation));
            }
        }
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                AclOperation.DELETE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(allow(principal, ResourceType.TOPIC, "stream-inference-", PatternType.PREFIXED, operation));
        }
        acls.add(allow(principal, ResourceType.GROUP, "stream-inference", PatternType.PREFIXED, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, "stream-inference-", PatternType.PREFIXED,
                AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, "stream-inference-", PatternType.PREFIXED,
                AclOperation.DESCRIBE));
        return acls;
    }

    static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*",
                operation, AclPermissionType.ALLOW));
    }

    @Test
    void runsOnSaslSslWithItsAclsAndFailsClosedWithoutWriteOnS1() throws Exception {
        try (ConfigurableApplicationContext app = startApp()) {
            TopicsProperties topics = app.getBean(TopicsProperties.class);
            StoredPredictions stored = new StoredPredictions(app.getBean(StringRedisTemplate.class),
                    app.getBean(RedisKeys.class));
            List<String> first = send(topics, 0);
            await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> stored.read(first).stream().filter(Objects::nonNull).count() == EVENTS);

            List<AclBinding> writeS1 = List.of(allow(PRINCIPAL, ResourceType.TOPIC, topics.features(),
                    PatternType.LITERAL, AclOperation.WRITE));
            kafka.revoke(writeS1);
            List<String> second = send(topics, EVENTS);
            HealthIndicator access = app.getBean("kafkaAccess", HealthIndicator.class);
            await().atMost(Duration.ofMinutes(1)).until(() -> Status.DOWN.equals(access.health().getStatus()));
            assertThat(String.valueOf(access.health().getDetails().get("denied"))).contains("preprocess", "s1",
                    "TopicAuthorizationException");
            assertThat(access.health().getDetails()).containsEntry("principal", PRINCIPAL);
            assertThat(stored.read(second)).as("nothing stored past the denial").allMatch(Objects::isNull);
            assertThat(read(topics.features(), EVENTS, Duration.ofSeconds(30))).as("s1 holds the first events only")
                    .hasSize(EVENTS);
            assertThat(read(topics.deadLetterOf(topics.events()), 1, Duration.ofSeconds(5))).as("nothing dead-lettered")
                    .isEmpty();

            kafka.grant(writeS1);
            await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> stored.read(second).stream().filter(Objects::nonNull).count() == EVENTS);
            List<String> all = new ArrayList<>(first);
            all.addAll(second);
            Map<String, Long> copies = read(topics.predictions(), all.size(), Duration.ofSeconds(30)).stream()
                    .map(ConsumerRecord::value)
                    .map(EventIdReader::ofPrediction).collect(Collectors.groupingBy(Function.identity(),
                            Collectors.counting()));
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(copies.values()).as("predictions per event").containsOnly(1L);
            assertThat(access.health().getStatus()).isEqualTo(Status.UP);
        }
    }

    /** Reads until {@code expected} records or {@code timeout}, then two seconds more for any surplus. */
    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration timeout) {
        return KafkaTestClients.readAll(kafka.internalBootstrap(), topic, expected, timeout, Duration.ofSeconds(2));
    }

    private List<String> send(TopicsProperties topics, int from) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(kafka.internalBootstrap())) {
            for (int i = from; i < from + EVENTS; i++) {
                producer.send(new ProducerRecord<>(topics.events(), PipelineTestSupport.utf8(ClickEvents.userId(i)),
                        PipelineTestSupport.utf8(ClickEvents.valid(i))));
            }
        }
        return IntStream.range(from, from + EVENTS).mapToObj(ClickEvents::eventId).toList();
    }

    private static ConfigurableApplicationContext startApp() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                StateDirs.argument(),
                "--spring.data.redis.port=" + redis.port(),
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                "--pipeline.topics.partitions=2",
                "--pipeline.sessions.inactivity-gap=5s",
                "--pipeline.breaker.probe-interval=500ms",
                // Kafka over SASL_SSL as the pipeline's principal, trusting the broker's CA through an SSL bundle.
                "--spring.kafka.bootstrap-servers=" + kafka.saslBootstrap(),
                "--spring.kafka.security.protocol=SASL_SSL",
                "--spring.kafka.ssl.bundle=kafka",
                "--spring.ssl.bundle.pem.kafka.truststore.certificate=file:" + certificates.caPem(),
                "--spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
                "--spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"pipeline\" password=\"" + PASSWORD + "\";"));
        List<String> topics = new ArrayList<>();
        // The topic names from the app's own configuration, before the app needs them.
        TopicsProperties names = new org.springframework.boot.context.properties.bind.Binder(
                org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(
                        new org.springframework.boot.env.YamlPropertySourceLoader().load("application.yml",
                                new org.springframework.core.io.ClassPathResource("application.yml"))))
                .bind("pipeline.topics", TopicsProperties.class).get();
        for (String topic : List.of(names.events(), names.features(), names.predictions(), names.sessions(),
                names.sessionPredictions(), names.labels(), names.evaluations(), names.shadowPredictions())) {
            topics.add(topic);
            topics.add(names.deadLetterOf(topic));
        }
        kafka.grant(acls(PRINCIPAL, topics));
        return new SpringApplicationBuilder(StreamInferenceApplication.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

}
