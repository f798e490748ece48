package io.streaminference.bench;

import io.streaminference.demo.DemoEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Kafka clients with the app's own settings (application.yml), so the harness's loops compare like with like. */
final class BenchClients {

    private BenchClients() {
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, String transactionalId) {
        return producer(bootstrap, transactionalId, null);
    }

    /** @param transactionTimeout for transactions longer than the client's default minute, or null */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap, String transactionalId, Duration transactionTimeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        if (transactionTimeout != null) {
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        }
        return new KafkaProducer<>(config);
    }

    /** The app's lz4, unless bench/run.sh was asked to compare another codec (BENCH_COMPRESSION). */
    private static String compression() {
        String codec = System.getenv("BENCH_COMPRESSION");
        return codec == null || codec.isBlank() ? "lz4" : codec;
    }

    /** Sends one demo event without waiting, counting failed sends. */
    static void send(KafkaProducer<byte[], byte[]> producer, String topic, DemoEvent event, AtomicLong failures) {
        producer.send(new ProducerRecord<>(topic, event.key().getBytes(StandardCharsets.UTF_8), event.value()),
                (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                    }
                });
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group, int maxPollRecords) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }
}
