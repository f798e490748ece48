package io.streaminference.sink;

import io.streaminference.delivery.StoreListenerConfiguration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Consumes s2-sessions in batches and stores its session predictions ({@link SinkBatches}). */
final class SessionSinkListener {

    static final String STAGE = "session-sink";

    private final SinkBatches batches;

    SessionSinkListener(SinkBatches batches) {
        this.batches = batches;
    }

    @KafkaListener(id = STAGE, topics = "${pipeline.topics.session-predictions}",
            groupId = "${spring.kafka.consumer.group-id}-" + STAGE,
            containerFactory = StoreListenerConfiguration.CONTAINER_FACTORY)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records, Consumer<?, ?> consumer) {
        batches.handle(records, consumer);
    }
}
