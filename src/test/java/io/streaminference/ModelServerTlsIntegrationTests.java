package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.contract.Prediction;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.KafkaTestClients;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * TF Serving over mutual TLS, with the standard {@code grpc.client.tf-serving.*} keys and certificates made at test
 * time: trusting the wrong CA fails closed — the inference stage pauses (its breaker opens, the model server is not
 * ready), nothing is predicted, nothing is dead-lettered, no offset moves past the events — and once the app trusts
 * the right CA and presents its client certificate, every event is predicted and stored exactly once.
 */
@EmbeddedKafka(kraft = true)
class ModelServerTlsIntegrationTests {

    static final int EVENTS = 200;
    static final TestCertificates certificates = TestCertificates.create();
    static final TestRedis redis = TestRedis.start();
    static final SigmoidModelServer model = SigmoidModelServer.startTls(certificates, true);

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
    }

    @Test
    void failsClosedOnAnUntrustedServerAndLosesNothingOnceTrusted(EmbeddedKafkaBroker broker) {
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(ClickEvents::eventId).toList();
        try (ConfigurableApplicationContext wrongCa = start(broker, certificates.otherCaPem().toString())) {
            TopicsProperties topics = wrongCa.getBean(TopicsProperties.class);
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>(topics.events(), PipelineTestSupport.utf8(ClickEvents.userId(i)),
                            PipelineTestSupport.utf8(ClickEvents.valid(i))));
                }
            }
            MeterRegistry meters = wrongCa.getBean(MeterRegistry.class);
            await().atMost(Duration.ofMinutes(1)).until(() -> meters.get("pipeline.breaker.open")
                    .tag("stage", "inference").gauge().value() == 1);
            HealthIndicator modelServer = wrongCa.getBean("modelServer", HealthIndicator.class);
            assertThat(modelServer.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(model.predictCalls()).as("no request got through the handshake").isZero();
            assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), topics.deadLetterOf(topics.features()), 1,
                    Duration.ofSeconds(5), Duration.ofSeconds(1))).as("nothing dead-lettered").isEmpty();
            assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), topics.predictions(), 1,
                    Duration.ofSeconds(3), Duration.ofSeconds(1))).as("nothing predicted").isEmpty();
        }

        try (ConfigurableApplicationContext trusted = start(broker, certificates.caPem().toString())) {
            TopicsProperties topics = trusted.getBean(TopicsProperties.class);
            StoredPredictions stored = new StoredPredictions(trusted.getBean(StringRedisTemplate.class),
                    trusted.getBean(RedisKeys.class));
            await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> stored.read(ids).stream().filter(Objects::nonNull).count() == EVENTS);
            assertThat(stored.read(ids)).extracting(Prediction::getModelVersion).containsOnly(SigmoidModelServer.VERSION);
            Map<String, Long> copies = KafkaTestClients.readAll(broker.getBrokersAsString(), topics.predictions(),
                            EVENTS, Duration.ofMinutes(1), Duration.ofSeconds(2)).stream().map(ConsumerRecord::value)
                    .map(EventIdReader::ofPrediction).collect(Collectors.groupingBy(Function.identity(),
                            Collectors.counting()));
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(copies.values()).containsOnly(1L);
        }
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, String trustedCa) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                StateDirs.argument(),
                "--spring.data.redis.port=" + redis.port(),
                "--pipeline.topics.partitions=2",
                "--pipeline.sessions.enabled=false",
                "--pipeline.breaker.probe-interval=500ms",
                // TLS to the model server, checked against trustedCa, with the client's certificate (mutual TLS).
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                "--grpc.client.tf-serving.negotiation-type=TLS",
                "--grpc.client.tf-serving.security.trust-cert-collection=file:" + trustedCa,
                "--grpc.client.tf-serving.security.client-auth-enabled=true",
                "--grpc.client.tf-serving.security.certificate-chain=file:" + certificates.clientChain(),
                "--grpc.client.tf-serving.security.private-key=file:" + certificates.clientKey()));
        return new SpringApplicationBuilder(StreamInferenceApplication.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }
}
