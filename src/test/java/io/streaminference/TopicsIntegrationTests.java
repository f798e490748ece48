package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.deadletter.DeadLetters;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.TestBroker;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.TestRedis;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Topics that exist keep their partitions, and a dead letter can always be written: to a dead-letter topic with fewer
 * partitions than its source, and when the record is larger than the producer may send. Neither may hold the
 * record's partition; the valid events behind them still come through.
 */
class TopicsIntegrationTests {

    static EmbeddedKafkaKraftBroker broker;
    static final TestRedis redis = TestRedis.start();
    static final SigmoidModelServer model = SigmoidModelServer.start();
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("s0", 2, (short) 1), new NewTopic("s1", 3, (short) 1),
                    new NewTopic("s1-dlt", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        app = new SpringApplicationBuilder(StreamInferenceApplication.class).web(WebApplicationType.NONE).run(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                StateDirs.argument(),
                "--spring.data.redis.port=" + redis.port(),
                "--grpc.client.tf-serving.address=static://127.0.0.1:" + model.port(),
                "--pipeline.topics.partitions=4",
                "--pipeline.topics.min-insync-replicas=1",
                "--pipeline.preprocess.max-event-bytes=4096",
                "--spring.kafka.producer.properties.max.request.size=30000");
    }

    @AfterAll
    static void stop() {
        app.close();
        model.close();
        redis.stop();
        broker.destroy();
    }

    @Test
    void createsWhatIsMissingAndNeverRepartitionsWhatExists() throws Exception {
        try (Admin admin = admin()) {
            Map<String, Integer> partitions = admin.describeTopics(List.of("s0", "s1", "s2", "s0-dlt", "s1-dlt", "s2-dlt"))
                    .allTopicNames().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().partitions().size()));
            assertThat(partitions).containsOnly(Map.entry("s0", 2), Map.entry("s1", 3), Map.entry("s1-dlt", 1),
                    Map.entry("s2", 4), Map.entry("s0-dlt", 4), Map.entry("s2-dlt", 4));
        }
    }

    @Test
    void createsTopicsWithTheConfiguredMinInsyncReplicas() throws Exception {
        try (Admin admin = admin()) {
            ConfigResource s2 = new ConfigResource(ConfigResource.Type.TOPIC, "s2");
            ConfigEntry entry = admin.describeConfigs(List.of(s2)).all().get(30, TimeUnit.SECONDS).get(s2)
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            assertThat(entry.source()).as("set on the topic, not the broker's default")
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(entry.value()).isEqualTo("1");
        }
    }

    @Test
    void deadLettersARecordFromAPartitionItsDeadLetterTopicDoesNotHave() {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            producer.send(new ProducerRecord<>("s1", 2, utf8("p2"), utf8("\u0001not a Features record")));
            producer.send(new ProducerRecord<>("s0", utf8("user-1"), utf8(ClickEvents.valid(1).replace("evt-1",
                    "after-partition"))));
        }
        List<ConsumerRecord<byte[], byte[]>> letters = await().atMost(Duration.ofMinutes(1)).until(
                () -> read("s1-dlt").stream().filter(r -> "p2".equals(key(r))).toList(), l -> !l.isEmpty());
        assertThat(ByteBuffer.wrap(letters.get(0).headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value())
                .getInt()).isEqualTo(2);
        await().atMost(Duration.ofMinutes(1)).until(() -> read("s2").stream()
                .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("after-partition")));
    }

    @Test
    void deadLettersARecordLargerThanTheProducerMaySendWithWhatFitsOfIt() {
        byte[] huge = new byte[50_000];
        Arrays.fill(huge, (byte) 'x');
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            producer.send(new ProducerRecord<>("s0", utf8("big"), huge));
            producer.send(new ProducerRecord<>("s0", utf8("big"), utf8(ClickEvents.valid(2).replace("evt-2",
                    "after-big"))));
        }
        ConsumerRecord<byte[], byte[]> letter = await().atMost(Duration.ofMinutes(1)).until(
                () -> read("s0-dlt").stream().filter(r -> "big".equals(key(r))).findFirst().orElse(null),
                l -> l != null);
        assertThat(header(letter, DeadLetters.REASON_HEADER)).isEqualTo("too_large");
        assertThat(header(letter, DeadLetters.VALUE_TRUNCATED_HEADER)).isEqualTo("50000");
        assertThat(letter.value().length).isLessThan(30_000);
        await().atMost(Duration.ofMinutes(1)).until(() -> read("s2").stream()
                .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("after-big")));
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        return KafkaTestClients.readAll(broker.getBrokersAsString(), topic, Integer.MAX_VALUE, Duration.ofSeconds(1),
                Duration.ZERO);
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
