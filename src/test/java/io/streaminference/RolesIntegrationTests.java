package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import io.streaminference.topics.TopicsProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatusCode;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.client.RestClient;

/**
 * {@code pipeline.roles}: the pipeline split over processes that each run only their stages, with only their
 * dependencies — a dependency a role does not need points at a closed port — stores every event exactly once; the API
 * alone starts and is ready with Redis and nothing else.
 */
@EmbeddedKafka(kraft = true)
class RolesIntegrationTests {

    static final int EVENTS = 200;
    static final TestRedis redis = TestRedis.start();
    static final SigmoidModelServer model = SigmoidModelServer.start();

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
    }

    @Test
    void stagesInSeparateProcessesStoreEveryEventOnceEachWithOnlyItsDependencies(EmbeddedKafkaBroker broker)
            throws IOException {
        String kafka = broker.getBrokersAsString();
        int closed = TestRedis.freePort();
        try (ConfigurableApplicationContext preprocess = start("preprocess", kafka, closed, closed);
                ConfigurableApplicationContext inference = start("inference", kafka, closed, model.port());
                ConfigurableApplicationContext store = start("sink,api", kafka, redis.port(), closed)) {
            TopicsProperties topics = store.getBean(TopicsProperties.class);
            List<String> ids = IntStream.range(0, EVENTS).mapToObj(ClickEvents::eventId).toList();
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(kafka)) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>(topics.events(), ClickEvents.utf8(ClickEvents.userId(i)),
                            ClickEvents.utf8(ClickEvents.valid(i))));
                }
            }
            StoredPredictions stored = new StoredPredictions(store.getBean(StringRedisTemplate.class),
                    store.getBean(RedisKeys.class));
            await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> stored.read(ids).stream().filter(Objects::nonNull).count() == EVENTS);
            Map<String, Long> copies = KafkaTestClients.readAll(kafka, topics.predictions(), EVENTS,
                            Duration.ofMinutes(1), Duration.ofSeconds(2)).stream().map(ConsumerRecord::value)
                    .map(EventIdReader::ofPrediction)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(copies.values()).containsOnly(1L);
            assertThat(api(store).get().uri("/api/v1/predictions/{id}", ids.get(0)).retrieve().toBodilessEntity()
                    .getStatusCode().value()).isEqualTo(200);

            assertThat(listeners(preprocess)).containsExactly("preprocess");
            assertThat(listeners(inference)).containsExactly("inference");
            assertThat(listeners(store)).containsExactlyInAnyOrder("sink", "dead-letter-log");
            assertThat(preprocess.containsBean("redisHealthContributor")).isFalse();
            assertThat(inference.containsBean("redisHealthContributor")).as("inference needs no Redis").isFalse();
            assertThat(channels(preprocess)).isEmpty();
            assertThat(channels(store)).as("no channel to the model server outside inference").isEmpty();
            assertThat(members(inference)).contains("modelServer").doesNotContain("redis");
            assertThat(members(store)).contains("redis").doesNotContain("modelServer");
            assertThat(readiness(store)).isEqualTo(200);
            assertThat(readiness(inference)).isEqualTo(200);
        }
    }

    @Test
    void apiAloneIsReadyWithRedisAndNothingElse() throws IOException {
        int closed = TestRedis.freePort();
        try (ConfigurableApplicationContext api = start("api", "127.0.0.1:" + closed, redis.port(), closed)) {
            assertThat(readiness(api)).isEqualTo(200);
            assertThat(members(api)).containsExactlyInAnyOrder("readinessState", "redis");
            assertThat(listeners(api)).isEmpty();
            assertThat(channels(api)).isEmpty();
            assertThat(api.containsBean("transactionFencing")).isFalse();
            assertThat(api.containsBean("kafkaConnectivityReporter")).isFalse();
            HttpStatusCode missing = api(api).get().uri("/api/v1/predictions/{id}", "no-such-event").exchange(
                    (request, response) -> response.getStatusCode());
            assertThat(missing.value()).as("Redis answered: not found").isEqualTo(404);
        }
    }

    private static ConfigurableApplicationContext start(String roles, String kafka, int redisPort, int modelPort) {
        return new SpringApplicationBuilder(StreamInferenceApplication.class).run(
                "--pipeline.roles=" + roles,
                "--spring.kafka.bootstrap-servers=" + kafka,
                // Three processes on one host: distinct transactional ids, as pipeline.kafka.transaction-id-prefix says.
                "--pipeline.kafka.transaction-id-prefix=roles-" + roles.replace(',', '-') + "-",
                StateDirs.argument(),
                "--server.port=0",
                "--management.server.port=0",
                "--spring.data.redis.port=" + redisPort,
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + modelPort,
                "--pipeline.topics.partitions=2",
                "--pipeline.sessions.enabled=false");
    }

    private static List<String> listeners(ConfigurableApplicationContext app) {
        return app.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().stream()
                .map(container -> container.getListenerId()).toList();
    }

    private static Map<String, ?> channels(ConfigurableApplicationContext app) {
        return app.getBean(GrpcChannelFactory.class).getConnectivityState();
    }

    private static List<String> members(ConfigurableApplicationContext app) {
        HealthEndpointGroup readiness = app.getBean(HealthEndpointGroups.class).get("readiness");
        return List.of("readinessState", "redis", "modelServer", "kafkaListeners", "sessions").stream()
                .filter(readiness::isMember).toList();
    }

    private static int readiness(ConfigurableApplicationContext app) {
        RestClient management = RestClient.create("http://127.0.0.1:"
                + app.getEnvironment().getProperty("local.management.port"));
        return await().atMost(Duration.ofSeconds(30)).until(() -> management.get().uri("/actuator/health/readiness")
                .exchange((request, response) -> response.getStatusCode().value()), status -> status == 200);
    }

    private static RestClient api(ConfigurableApplicationContext app) {
        return RestClient.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
    }
}
