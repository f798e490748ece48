package io.streaminference.preprocess;

import io.streaminference.delivery.BatchPublisher;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes s0 in batches; the batch's offsets are committed only after its s1 records and dead letters are
 * acknowledged. A throw (broker away) makes the container retry the batch with back-off.
 */
@Component
class PreprocessListener {

    private final PreprocessStage stage;
    private final BatchPublisher publisher;

    PreprocessListener(PreprocessStage stage, BatchPublisher publisher) {
        this.stage = stage;
        this.publisher = publisher;
    }

    @KafkaListener(id = PreprocessStage.STAGE, topics = "${pipeline.topics.events}",
            groupId = "${spring.kafka.consumer.group-id}-" + PreprocessStage.STAGE)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        try {
            publisher.sendAndAwait(stage.process(records));
        } catch (RuntimeException e) {
            stage.failed(records.size());
            throw e;
        }
    }
}
