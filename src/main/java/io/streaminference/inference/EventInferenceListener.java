package io.streaminference.inference;

import io.streaminference.delivery.PublishingBatches;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Consumes s1 in batches for the event model ({@link InferenceStages#batches}). */
final class EventInferenceListener {

    static final String STAGE = "inference";

    private final PublishingBatches batches;

    EventInferenceListener(PublishingBatches batches) {
        this.batches = batches;
    }

    @KafkaListener(id = STAGE, topics = "${pipeline.topics.features}",
            groupId = "${spring.kafka.consumer.group-id}-" + STAGE)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        batches.handle(records);
    }
}
