package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.KafkaTestClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * When a dead letter cannot be written because its topic does not exist, the batch is not skipped: nothing of it
 * is committed, {@code pipeline.publish.failures} rises, and once the topic exists the dead letter and the batch's
 * valid events each arrive exactly once, and are counted once.
 */
@SpringBootTest(properties = {"spring.kafka.admin.auto-create=false", "pipeline.kafka.send-timeout=5s",
        "spring.kafka.producer.properties.max.block.ms=2000"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers", partitions = 1,
        topics = {"s0", "s1", "s2", "s1-dlt", "s2-dlt"}, brokerProperties = "auto.create.topics.enable=false")
class MissingDeadLetterTopicIntegrationTests extends PipelineTestSupport {

    @Autowired
    MeterRegistry meters;

    @Test
    void holdsTheBatchUntilTheDeadLetterTopicExists() throws Exception {
        String deadLetterTopic = topics.deadLetterOf(topics.events());
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            producer.send(new ProducerRecord<>(topics.events(), utf8("poison"), utf8("{not json")));
            producer.send(new ProducerRecord<>(topics.events(), utf8("u"), utf8(ClickEvents.valid(1))));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> publishFailures() > 0);
        // The valid event shares the failed batch (one partition, produced right after), so nothing of it committed.
        assertThat(read(topics.features(), 1, Duration.ofSeconds(2), Duration.ZERO)).isEmpty();

        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(deadLetterTopic, 1, (short) 1))).all().get();
        }
        List<ConsumerRecord<byte[], byte[]>> letters = read(deadLetterTopic, 1, Duration.ofMinutes(1),
                Duration.ofSeconds(1));
        assertThat(letters).extracting(PipelineTestSupport::key).containsExactly("poison");
        assertThat(read(topics.features(), 1, Duration.ofSeconds(30), Duration.ofSeconds(1))).hasSize(1);
        // The batch was attempted several times; its output counts once, when it committed.
        assertThat(meters.find("pipeline.records.retried").tag("stage", "preprocess").counter().count()).isPositive();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.find("pipeline.records.out").tag("stage", "preprocess").counter().count()).isEqualTo(1);
            assertThat(meters.find("pipeline.records.dead.lettered").tag("stage", "preprocess")
                    .tag("reason", "not_json").counter().count()).isEqualTo(1);
        });
    }

    private double publishFailures() {
        return meters.find("pipeline.publish.failures").counters().stream().mapToDouble(Counter::count).sum();
    }
}
