package io.streaminference.inference;

import io.streaminference.delivery.PublishingBatches;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Consumes s1-sessions in batches for the session model ({@link InferenceStages#batches}). */
final class SessionInferenceListener {

    static final String STAGE = "session-inference";

    private final PublishingBatches batches;

    SessionInferenceListener(PublishingBatches batches) {
        this.batches = batches;
    }

    @KafkaListener(id = STAGE, topics = "${pipeline.topics.sessions}",
            groupId = "${spring.kafka.consumer.group-id}-" + STAGE)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        batches.handle(records);
    }
}
