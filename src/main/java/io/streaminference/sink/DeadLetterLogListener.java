package io.streaminference.sink;

import io.streaminference.delivery.StoreListenerConfiguration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Consumes every dead-letter topic ({@code read_committed}: only dead letters whose batch committed) into the
 * {@link DeadLetterLog}. A failed write throws and the batch is retried in place, like the sink's.
 */
final class DeadLetterLogListener {

    static final String ID = "dead-letter-log";

    private final DeadLetterLog log;

    DeadLetterLogListener(DeadLetterLog log) {
        this.log = log;
    }

    @KafkaListener(id = ID, topics = "#{@deadLetterLogTopics}", concurrency = "1",
            groupId = "${spring.kafka.consumer.group-id}-" + ID,
            containerFactory = StoreListenerConfiguration.CONTAINER_FACTORY)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        log.record(records);
    }
}
