package io.streaminference.sink;

import io.streaminference.delivery.StoreListenerConfiguration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Consumes s2 in batches and stores its predictions ({@link SinkBatches}). */
final class EventSinkListener {

    static final String STAGE = "sink";

    private final SinkBatches batches;

    EventSinkListener(SinkBatches batches) {
        this.batches = batches;
    }

    @KafkaListener(id = STAGE, topics = "${pipeline.topics.predictions}",
            groupId = "${spring.kafka.consumer.group-id}-" + STAGE,
            containerFactory = StoreListenerConfiguration.CONTAINER_FACTORY)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records, Consumer<?, ?> consumer) {
        batches.handle(records, consumer);
    }
}
