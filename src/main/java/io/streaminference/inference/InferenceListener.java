package io.streaminference.inference;

import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.delivery.BatchReporting;
import io.streaminference.delivery.Publisher;
import io.streaminference.delivery.StageOutput;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes s1 in batches; offsets are committed only after the batch's s2 records and dead letters are
 * acknowledged, in the batch's transaction. A model-server or broker failure escapes as an exception and the
 * container rolls the batch back and retries it; the breaker pauses the listener when failures persist, and hears of
 * a success only once the batch has committed.
 */
@Component
class InferenceListener {

    private final InferenceStage stage;
    private final Publisher publisher;
    private final BatchReporting reporting;

    InferenceListener(InferenceStage stage, Publisher publisher, @Qualifier("inferenceBreaker") CircuitBreaker breaker) {
        this.stage = stage;
        this.publisher = publisher;
        this.reporting = new BatchReporting(stage.metrics(), breaker::succeeded, breaker::failed);
    }

    @KafkaListener(id = InferenceStage.STAGE, topics = "${pipeline.topics.features}",
            groupId = "${spring.kafka.consumer.group-id}-" + InferenceStage.STAGE)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        StageOutput output;
        try {
            output = stage.process(records);
            publisher.publish(output.records());
        } catch (RuntimeException e) {
            reporting.attemptFailed(records.size(), e);
            throw e;
        }
        reporting.afterCommit(output, records.size());
    }
}
