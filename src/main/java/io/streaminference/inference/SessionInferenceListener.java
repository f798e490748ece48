package io.streaminference.inference;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Consumes s1-sessions in batches for the session model ({@link InferenceBatches}). */
final class SessionInferenceListener {

    static final String STAGE = "session-inference";

    private final InferenceBatches batches;

    SessionInferenceListener(InferenceBatches batches) {
        this.batches = batches;
    }

    @KafkaListener(id = STAGE, topics = "${pipeline.topics.sessions}",
            groupId = "${spring.kafka.consumer.group-id}-" + STAGE)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        batches.handle(records);
    }
}
