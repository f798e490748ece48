package io.streaminference.deadletter;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.delivery.Publisher;
import io.streaminference.topics.TopicsProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Replays dead letters to the topic they came from after a fix: the chosen DLT records (a whole dead-letter topic,
 * or one partition's offset range) go back with their original key, value and headers, minus the dead-letter
 * headers. With exactly-once delivery one transaction carries them all. Records that fail again simply return to
 * the dead-letter topic with a fresh reason.
 */
public class DeadLetterRedrive {

    private static final Duration READ_LIMIT = Duration.ofSeconds(30);

    private final ConsumerFactory<byte[], byte[]> consumers;
    private final KafkaTemplate<byte[], byte[]> template;
    private final TopicsProperties topics;
    private final Duration sendTimeout;
    private final MeterRegistry registry;

    public DeadLetterRedrive(ConsumerFactory<byte[], byte[]> consumers, KafkaTemplate<byte[], byte[]> template,
            TopicsProperties topics, Duration sendTimeout, MeterRegistry registry) {
        this.consumers = consumers;
        this.template = template;
        this.topics = topics;
        this.sendTimeout = sendTimeout;
        this.registry = registry;
    }

    /**
     * @param partition  one partition, or null for all
     * @param fromOffset first offset (inclusive), or null for the beginning
     * @param toOffset   last offset (inclusive), or null for the end as of now
     */
    public Result redrive(String deadLetterTopic, Integer partition, Long fromOffset, Long toOffset) {
        Set<String> known = Set.of(topics.deadLetterOf(topics.events()), topics.deadLetterOf(topics.features()),
                topics.deadLetterOf(topics.predictions()));
        if (!known.contains(deadLetterTopic)) {
            throw new IllegalArgumentException("topic must be one of " + known);
        }
        List<ProducerRecord<byte[], byte[]>> replays = new ArrayList<>();
        int skipped = 0;
        for (ConsumerRecord<byte[], byte[]> letter : read(deadLetterTopic, partition, fromOffset, toOffset)) {
            ProducerRecord<byte[], byte[]> replay = replayOf(letter);
            if (replay == null) {
                skipped++;
            } else {
                replays.add(replay);
            }
        }
        if (template.isTransactional()) {
            template.executeInTransaction(t -> {
                publisher(t).publish(replays);
                return null;
            });
        } else {
            publisher(template).publish(replays);
        }
        return new Result(deadLetterTopic, replays.size(), skipped);
    }

    private Publisher publisher(KafkaOperations<byte[], byte[]> kafka) {
        return new Publisher(kafka, sendTimeout, registry);
    }

    /** @return the record for its original topic, or null when its headers do not name a pipeline topic */
    private ProducerRecord<byte[], byte[]> replayOf(ConsumerRecord<byte[], byte[]> letter) {
        Header origin = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC);
        String topic = origin == null ? null : new String(origin.value(), StandardCharsets.UTF_8);
        if (topic == null || !Set.of(topics.events(), topics.features(), topics.predictions()).contains(topic)) {
            return null;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith("kafka_dlt-") && !header.key().startsWith("dlt-")) {
                headers.add(header);
            }
        }
        return new ProducerRecord<>(topic, null, letter.key(), letter.value(), headers);
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, Integer partition, Long fromOffset, Long toOffset) {
        Map<String, Object> overrides = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (Consumer<byte[], byte[]> consumer = consumers.createConsumer("redrive-" + UUID.randomUUID(), null, null,
                toProperties(overrides))) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, READ_LIMIT)) {
                if (partition == null || partition == info.partition()) {
                    assigned.add(new TopicPartition(topic, info.partition()));
                }
            }
            if (assigned.isEmpty()) {
                throw new IllegalArgumentException("partition " + partition + " does not exist in " + topic);
            }
            consumer.assign(assigned);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(assigned, READ_LIMIT));
            for (TopicPartition tp : assigned) {
                if (fromOffset == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, fromOffset);
                }
                if (toOffset != null) {
                    end.put(tp, Math.min(end.get(tp), toOffset + 1));
                }
            }
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (!caughtUp(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
            if (!caughtUp(consumer, end)) {
                throw new IllegalStateException("could not read " + topic + " up to " + end + " within " + READ_LIMIT);
            }
            return records;
        }
    }

    private static boolean caughtUp(Consumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), READ_LIMIT) >= e.getValue());
    }

    private static java.util.Properties toProperties(Map<String, Object> values) {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(values);
        return properties;
    }

    /** What a redrive did. */
    public record Result(String topic, int redriven, int skipped) {
    }
}
