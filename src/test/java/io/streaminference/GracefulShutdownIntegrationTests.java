package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.TestRedis;
import io.streaminference.testing.EventIdReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.dao.DataAccessException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Stopping the app mid-stream (what SIGTERM does: the context closes) lets in-flight batches finish and commit;
 * after a restart no record is consumed twice and every event ends up in s2 and Redis exactly once.
 */
@EmbeddedKafka(kraft = true)
class GracefulShutdownIntegrationTests {

    static final int EVENTS = 3_000;
    static final TestRedis redis = TestRedis.start();
    static final SigmoidModelServer model = SigmoidModelServer.start();

    @AfterAll
    static void stop() {
        model.release();
        model.close();
        redis.stop();
    }

    @Test
    void finishesInFlightBatchesOnShutdownAndRedoesNothingAfterRestart(EmbeddedKafkaBroker broker) throws Exception {
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(ClickEvents::eventId).toList();
        double consumedBefore;
        double scoredBefore;
        try (ConfigurableApplicationContext first = start(broker)) {
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>("s0", PipelineTestSupport.utf8(ClickEvents.userId(i)),
                            PipelineTestSupport.utf8(ClickEvents.valid(i))));
                }
            }
            StoredPredictions stored = stored(first);
            // A check's read that times out while the app starts under load is a "not yet", not the behaviour tested.
            await().atMost(Duration.ofMinutes(1)).ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> stored.read(ids).stream().filter(Objects::nonNull).count() >= 300);
            MeterRegistry meters = first.getBean(MeterRegistry.class);

            // A batch is in flight — its Predict call held at the model server — when the shutdown begins, and it
            // is let go only once the context is closing.
            model.hold();
            await().atMost(Duration.ofSeconds(30)).until(() -> model.heldCalls() > 0);
            CountDownLatch closing = new CountDownLatch(1);
            first.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> closing.countDown());
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(first::close);
            assertThat(closing.await(30, TimeUnit.SECONDS)).as("shutdown began").isTrue();
            assertThat(model.heldCalls()).as("a batch is in flight as the shutdown begins").isPositive();
            model.release();
            shutdown.get(60, TimeUnit.SECONDS);
            consumedBefore = consumed(meters, "preprocess");
            scoredBefore = consumed(meters, "inference");
        }
        model.delay(Duration.ZERO);
        try (ConfigurableApplicationContext second = start(broker)) {
            StoredPredictions stored = stored(second);
            await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> stored.allStored(ids));
            MeterRegistry meters = second.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> consumed(meters, "preprocess") + consumedBefore >= EVENTS
                    && consumed(meters, "inference") + scoredBefore >= EVENTS);
            // Nothing finished before the stop is consumed again after it.
            assertThat(consumed(meters, "preprocess") + consumedBefore).isEqualTo(EVENTS);
            assertThat(consumed(meters, "inference") + scoredBefore).isEqualTo(EVENTS);
        }
        Map<String, Long> copies = KafkaTestClients.readAll(broker.getBrokersAsString(), "s2", EVENTS,
                        Duration.ofSeconds(30), Duration.ofSeconds(1)).stream()
                .map(ConsumerRecord::value).map(EventIdReader::ofPrediction)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(copies.values()).containsOnly(1L);
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker) {
        // Arguments, not builder properties: those are defaults that application.yml would override.
        return new SpringApplicationBuilder(StreamInferenceApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                StateDirs.argument(),
                        "--spring.data.redis.port=" + redis.port(),
                        "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                        "--pipeline.topics.partitions=2",
                        // A held Predict call must not reach its deadline; 20 records are at most 40 calls x 5 s + 15 s,
                        // within the poll budget.
                        "--pipeline.inference.deadline=5s",
                        "--spring.kafka.consumer.max-poll-records=20");
    }

    private static StoredPredictions stored(ConfigurableApplicationContext context) {
        return new StoredPredictions(context.getBean(StringRedisTemplate.class), context.getBean(RedisKeys.class));
    }

    /** Records a stage consumed and finished: attempts that failed (and were consumed again) do not count. */
    private static double consumed(MeterRegistry meters, String stage) {
        return count(meters, "pipeline.records.in", stage) - count(meters, "pipeline.records.retried", stage);
    }

    private static double count(MeterRegistry meters, String name, String stage) {
        var counter = meters.find(name).tag("stage", stage).counter();
        return counter == null ? 0 : counter.count();
    }

}
