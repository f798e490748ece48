package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.deadletter.DeadLetterRedrive;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.EventIdReader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Bad records at s1 and s2 reach their stage's dead-letter topic alone, rows the model refuses are isolated from
 * their chunk and can be redriven after a fix, and a model-server outage pauses the stage without dead-lettering.
 */
@SpringBootTest(properties = {"pipeline.inference.max-batch-size=16", "pipeline.topics.partitions=1"})
@ExtendWith(OutputCaptureExtension.class)
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class DeadLetterIntegrationTests extends PipelineTestSupport {

    @Autowired
    DeadLetterRedrive redrive;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Value("${spring.kafka.consumer.group-id}")
    String groupId;

    @Test
    void deadLettersOnlyTheBadRecordsOfEachStageAndScoresTheirNeighbours() {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < 40; i++) {
                float first = i == 7 || i == 23 ? SigmoidModelServer.POISON : 0.01f * i;
                producer.send(new ProducerRecord<>(topics.features(), utf8("u"), features("dl-" + i, first).toByteArray()));
            }
            producer.send(new ProducerRecord<>(topics.features(), utf8("undecodable"), utf8("\u0001not protobuf")));
            producer.send(new ProducerRecord<>(topics.features(), utf8("short"),
                    Features.newBuilder().setEventId("short").setSchemaVersion(FeatureSchema.VERSION).addValues(1)
                            .build().toByteArray()));
            producer.send(new ProducerRecord<>(topics.features(), utf8("v2"),
                    features("v2", 0).toBuilder().setSchemaVersion(2).build().toByteArray()));
            producer.send(new ProducerRecord<>(topics.predictions(), utf8("bad-prediction"), utf8("\u0002garbage")));
        }

        List<String> scored = IntStream.range(0, 40).filter(i -> i != 7 && i != 23).mapToObj(i -> "dl-" + i).toList();
        await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(scored));

        assertThat(reasonsByKey(topics.deadLetterOf(topics.features()), 5)).containsOnly(
                Map.entry("u", "rejected_by_model"),
                Map.entry("undecodable", "undecodable"),
                Map.entry("short", "wrong_feature_count"),
                Map.entry("v2", "unsupported_schema_version"));
        List<ConsumerRecord<byte[], byte[]>> refused = read(topics.deadLetterOf(topics.features()), 5,
                Duration.ofSeconds(10), Duration.ZERO).stream()
                .filter(r -> "rejected_by_model".equals(header(r, DeadLetters.REASON_HEADER))).toList();
        assertThat(refused).hasSize(2).allSatisfy(r -> assertThat(header(r, "dlt-model-name"))
                .isEqualTo(SigmoidModelServer.MODEL));
        assertThat(refused).extracting(r -> EventIdReader.ofFeatures(r.value())).containsExactlyInAnyOrder("dl-7", "dl-23");

        // The sink runs no transaction per batch, but its dead letter and its offsets commit in one: the letter is
        // there once and the sink's committed offset is past the bad record.
        List<ConsumerRecord<byte[], byte[]>> sinkLetters = read(topics.deadLetterOf(topics.predictions()), 1,
                Duration.ofSeconds(30), Duration.ofSeconds(2));
        assertThat(sinkLetters).extracting(r -> Map.entry(key(r), header(r, DeadLetters.REASON_HEADER)))
                .containsExactly(Map.entry("bad-prediction", "undecodable"));
        long badOffset = ByteBuffer.wrap(sinkLetters.get(0).headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET)
                .value()).getLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> sinkCommittedOffset() > badOffset);

        // After a fix (the model now accepts those rows) the refused rows are redriven and scored.
        model.refusePoison(false);
        try {
            DeadLetterRedrive.Result result = redrive.redrive(new DeadLetterRedrive.Request(topics.deadLetterOf(
                    topics.features()), null, null, null));
            assertThat(result.redriven()).isEqualTo(5);
            await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(List.of("dl-7", "dl-23")));
        } finally {
            model.refusePoison(true);
        }
    }

    @Test
    void pausesDuringAModelServerOutageResumesAfterItAndDeadLettersNothing(CapturedOutput output) {
        int logged = output.getAll().length();
        model.close();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topics.features(), utf8("u"), features("outage-" + i, 0.1f).toByteArray()));
            }
        }
        // Persistent failures pause the listener instead of retrying hot.
        MessageListenerContainer inference = listeners.getListenerContainer("inference");
        await().atMost(Duration.ofSeconds(30)).until(inference::isPauseRequested);
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> "outage-" + i).toList();
        assertThat(stored().read(ids)).containsOnlyNulls();

        restartModel();
        await().atMost(Duration.ofSeconds(10)).until(() -> !inference.isPauseRequested());
        await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(ids));
        assertThat(read(topics.deadLetterOf(topics.features()), Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO))
                .noneMatch(r -> EventIdReader.ofFeatures(r.value()).startsWith("outage-"));
        // An outage the stage waits out is one WARN when it starts (and one when the breaker pauses), not an ERROR
        // with a stack trace per retried batch.
        String outage = output.getAll().substring(logged);
        assertThat(outage).doesNotContain(" ERROR ");
        assertThat(outage.split("Stage inference: a batch failed and is retried", -1)).hasSize(2);
        assertThat(outage).contains("Stage inference: batches commit again");
    }

    private long sinkCommittedOffset() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(groupId + "-sink")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(topics.predictions(), 0));
            return committed == null ? -1 : committed.offset();
        }
    }

    private Map<String, String> reasonsByKey(String topic, int expected) {
        return read(topic, expected, Duration.ofSeconds(30), Duration.ofMillis(500)).stream()
                .collect(Collectors.toMap(PipelineTestSupport::key, r -> header(r, DeadLetters.REASON_HEADER),
                        (a, b) -> a));
    }

    private static Features features(String eventId, float first) {
        Features.Builder features = Features.newBuilder().setEventId(eventId).setEntityKey("u")
                .setSchemaVersion(FeatureSchema.VERSION).setEventTimeMs(1_767_225_600_000L).addValues(first);
        for (int j = 1; j < FeatureSchema.SIZE; j++) {
            features.addValues(0.5f);
        }
        return features.build();
    }
}
