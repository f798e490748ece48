package io.streaminference.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streaminference.testing.KafkaTestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The sink's dead letters and its consumed offsets commit in one transaction against a real broker: when the offset
 * commit is refused, the dead letter is not visible to read_committed readers either; when it succeeds, both are.
 */
@EmbeddedKafka(kraft = true, partitions = 1, topics = {"s2", "s2-dlt"})
class StoreStageCommitterIntegrationTests {

    static final String GROUP = "stream-inference-sink";

    private final EmbeddedKafkaBroker broker;
    private DefaultKafkaProducerFactory<byte[], byte[]> producers;
    private KafkaConsumer<byte[], byte[]> consumer;
    private StoreStageCommitter committer;

    StoreStageCommitterIntegrationTests(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    @BeforeEach
    void connect() {
        producers = new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString(), ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new ByteArraySerializer(),
                new ByteArraySerializer());
        producers.setTransactionIdPrefix("committer-test-");
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(producers);
        committer = new StoreStageCommitter(template, new Publisher(template, Duration.ofSeconds(10),
                new SimpleMeterRegistry()));
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        consumer.close();
        producers.destroy();
    }

    @Test
    void commitsTheDeadLetterOnlyTogetherWithTheOffsetsOfItsBatch() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("s2", ("p" + i).getBytes(), ("prediction " + i).getBytes())).get();
            }
        }
        consumer.subscribe(List.of("s2"));
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
            return batch.size() == 3;
        });
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>("s2-dlt", "p1".getBytes(), "letter".getBytes());

        // A consumer the group does not know (as after a rebalance that fenced this one): the broker refuses the
        // offset commit, so the transaction aborts and takes the dead letter with it.
        ConsumerGroupMetadata stale = new ConsumerGroupMetadata(GROUP, 99, "gone-member", Optional.empty());
        assertThatThrownBy(() -> committer.commitDeadLetters(List.of(deadLetter), batch, proxy(stale)))
                .isInstanceOf(PublishException.class);
        assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), "s2-dlt", 1, Duration.ofSeconds(3),
                Duration.ZERO)).as("dead letters visible to read_committed").isEmpty();
        assertThat(committedOffset()).as("committed offset of s2-0").isNull();

        committer.commitDeadLetters(List.of(deadLetter), batch, consumer);

        assertThat(KafkaTestClients.readAll(broker.getBrokersAsString(), "s2-dlt", 1, Duration.ofSeconds(10),
                Duration.ofSeconds(1))).extracting(r -> new String(r.value())).containsExactly("letter");
        assertThat(committedOffset()).isEqualTo(3);
    }

    private Long committedOffset() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(new TopicPartition("s2", 0));
            return offset == null ? null : offset.offset();
        }
    }

    /** The real consumer, but claiming to be another member of the group. */
    @SuppressWarnings("unchecked")
    private org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> proxy(ConsumerGroupMetadata metadata) {
        return (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.apache.kafka.clients.consumer.Consumer.class},
                (self, method, args) -> method.getName().equals("groupMetadata") ? metadata
                        : method.invoke(consumer, args));
    }
}
