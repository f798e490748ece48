package io.streaminference.inference;

import io.streaminference.kafka.BatchPublisher;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes s1 in batches; offsets are committed only after the batch's s2 records and dead letters are
 * acknowledged. A model-server or broker failure escapes as an exception and the container retries the batch.
 */
@Component
class InferenceListener {

    private final InferenceStage stage;
    private final BatchPublisher publisher;

    InferenceListener(InferenceStage stage, BatchPublisher publisher) {
        this.stage = stage;
        this.publisher = publisher;
    }

    @KafkaListener(id = InferenceStage.STAGE, topics = "${pipeline.topics.features}",
            groupId = "${spring.kafka.consumer.group-id}-" + InferenceStage.STAGE)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        publisher.sendAndAwait(stage.process(records));
    }
}
