package io.streaminference.inference;

import io.streaminference.delivery.BatchPublisher;
import io.streaminference.breaker.CircuitBreaker;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes s1 in batches; offsets are committed only after the batch's s2 records and dead letters are
 * acknowledged. A model-server or broker failure escapes as an exception and the container retries the batch; the
 * breaker pauses the listener when failures persist.
 */
@Component
class InferenceListener {

    private final InferenceStage stage;
    private final BatchPublisher publisher;
    private final CircuitBreaker breaker;

    InferenceListener(InferenceStage stage, BatchPublisher publisher, @Qualifier("inferenceBreaker") CircuitBreaker breaker) {
        this.stage = stage;
        this.publisher = publisher;
        this.breaker = breaker;
    }

    @KafkaListener(id = InferenceStage.STAGE, topics = "${pipeline.topics.features}",
            groupId = "${spring.kafka.consumer.group-id}-" + InferenceStage.STAGE)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        try {
            publisher.sendAndAwait(stage.process(records));
        } catch (RuntimeException e) {
            stage.failed(records.size());
            breaker.failed(e);
            throw e;
        }
        breaker.succeeded();
    }
}
