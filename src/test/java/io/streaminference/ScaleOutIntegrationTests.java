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
import io.streaminference.testing.TestBroker;
import io.streaminference.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Scaling out and in under a steady stream, on one broker: a second instance joins mid-stream, then the first stops
 * (the context closes, as on SIGTERM). Every event is in s1 and s2 exactly once (read_committed), stored, nothing
 * dead-lettered. How long each rebalance held the output is printed per assignor ({@code docs/reliability.md}); no
 * assertion on time.
 */
class ScaleOutIntegrationTests {

    static final int EVENTS = 4_000;
    static final int PER_SECOND = 400;
    static final TestRedis redis = TestRedis.start();
    static final SigmoidModelServer model = SigmoidModelServer.start();
    static final EmbeddedKafkaKraftBroker broker = TestBroker.start();

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
        broker.destroy();
    }

    @ParameterizedTest
    @ValueSource(classes = {RangeAssignor.class, CooperativeStickyAssignor.class})
    void anInstanceJoiningAndOneLeavingMidStreamLoseAndRepeatNothing(Class<?> assignor) throws Exception {
        String kafka = broker.getBrokersAsString();
        String run = assignor.getSimpleName().toLowerCase();
        Topics topics = new Topics(run);
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> run + "-" + ClickEvents.eventId(i)).toList();
        Output output = new Output(kafka, topics.predictions);
        AtomicBoolean producing = new AtomicBoolean(true);
        ConfigurableApplicationContext first = start(kafka, topics, assignor, "a");
        ConfigurableApplicationContext second = null;
        try {
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> produce(kafka, topics, run, producing));
            await().atMost(Duration.ofMinutes(1)).until(() -> output.count() >= EVENTS / 5);
            long joined = System.nanoTime();
            second = start(kafka, topics, assignor, "b");
            await().atMost(Duration.ofMinutes(1)).until(() -> output.count() >= EVENTS / 2);
            long left = System.nanoTime();
            first.close();
            producer.get(2, TimeUnit.MINUTES);
            await().atMost(Duration.ofMinutes(2)).until(() -> output.count() >= EVENTS);
            StoredPredictions stored = new StoredPredictions(second.getBean(StringRedisTemplate.class),
                    second.getBean(RedisKeys.class));
            await().atMost(Duration.ofMinutes(1)).ignoreExceptionsInstanceOf(DataAccessException.class)
                    .until(() -> stored.read(ids).stream().filter(Objects::nonNull).count() == EVENTS);

            Map<String, Long> predictions = KafkaTestClients.readAll(kafka, topics.predictions, EVENTS,
                            Duration.ofMinutes(1), Duration.ofSeconds(2)).stream().map(ConsumerRecord::value)
                    .map(EventIdReader::ofPrediction)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(predictions.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(predictions.values()).as("each prediction once in s2").containsOnly(1L);
            Map<String, Long> features = KafkaTestClients.readAll(kafka, topics.features, EVENTS,
                            Duration.ofMinutes(1), Duration.ofSeconds(2)).stream().map(ConsumerRecord::value)
                    .map(EventIdReader::ofFeatures)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(features.values()).as("each event once in s1").containsOnly(1L);
            assertThat(features).hasSize(EVENTS);
            for (String topic : List.of(topics.events, topics.features, topics.predictions)) {
                assertThat(KafkaTestClients.readAll(kafka, topic + "-dlt", 1, Duration.ofSeconds(2),
                        Duration.ZERO)).as("nothing dead-lettered from " + topic).isEmpty();
            }
            System.out.printf("scale-out %s: longest pause in s2 output after the join %d ms, in the 30 s after the"
                    + " leave %d ms%n", assignor.getSimpleName(), output.longestPause(joined, left),
                    output.longestPause(left, left + TimeUnit.SECONDS.toNanos(30)));
        } finally {
            producing.set(false);
            first.close();
            if (second != null) {
                second.close();
            }
            output.close();
        }
    }

    private static void produce(String kafka, Topics topics, String run, AtomicBoolean producing) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(kafka)) {
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS && producing.get(); i++) {
                long due = start + TimeUnit.SECONDS.toNanos(1) * i / PER_SECOND;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                producer.send(new ProducerRecord<>(topics.events, ClickEvents.utf8(ClickEvents.userId(i)),
                        ClickEvents.utf8(ClickEvents.valid(i).replace(ClickEvents.eventId(i) + "\"",
                                run + "-" + ClickEvents.eventId(i) + "\""))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ConfigurableApplicationContext start(String kafka, Topics topics, Class<?> assignor,
            String instance) {
        return new SpringApplicationBuilder(StreamInferenceApplication.class).web(WebApplicationType.NONE).run(
                "--spring.kafka.bootstrap-servers=" + kafka,
                StateDirs.argument(),
                "--spring.data.redis.port=" + redis.port(),
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                "--pipeline.topics.events=" + topics.events,
                "--pipeline.topics.features=" + topics.features,
                "--pipeline.topics.predictions=" + topics.predictions,
                "--pipeline.topics.partitions=4",
                "--pipeline.sessions.enabled=false",
                "--spring.kafka.consumer.group-id=" + topics.run,
                "--spring.kafka.listener.concurrency=2",
                "--spring.kafka.consumer.properties.partition.assignment.strategy=" + assignor.getName(),
                // Two instances on one host: distinct transactional ids, as pipeline.kafka.transaction-id-prefix says.
                "--pipeline.kafka.transaction-id-prefix=" + topics.run + "-" + instance + "-");
    }

    /** This run's own topics and group, so the runs share the broker and nothing else. */
    private record Topics(String run, String events, String features, String predictions) {
        Topics(String run) {
            this(run, "s0-" + run, "s1-" + run, "s2-" + run);
        }
    }

    /** A read_committed reader of s2 noting when each prediction arrived. */
    private static final class Output implements AutoCloseable {

        private final Map<String, Long> copies = new ConcurrentHashMap<>();
        private final List<Long> arrivals = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final CompletableFuture<Void> reader;

        Output(String kafka, String topic) {
            reader = CompletableFuture.runAsync(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                        ConsumerConfig.GROUP_ID_CONFIG, "observer-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
                    consumer.subscribe(List.of(topic));
                    while (running.get()) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                            copies.merge(EventIdReader.ofPrediction(record.value()), 1L, Long::sum);
                            arrivals.add(System.nanoTime());
                        }
                    }
                }
            });
        }

        int count() {
            return copies.size();
        }

        /** The longest time without output from {@code from} to {@code to} (nanoTime), in milliseconds. */
        long longestPause(long from, long to) {
            long previous = from;
            long longest = 0;
            for (long arrival : arrivals) {
                if (arrival >= from && arrival <= to) {
                    longest = Math.max(longest, arrival - previous);
                    previous = arrival;
                }
            }
            return TimeUnit.NANOSECONDS.toMillis(longest);
        }

        @Override
        public void close() {
            running.set(false);
            reader.join();
        }
    }
}
