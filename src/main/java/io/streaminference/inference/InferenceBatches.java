package io.streaminference.inference;

import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.delivery.BatchReporting;
import io.streaminference.delivery.Publisher;
import io.streaminference.delivery.StageOutput;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One batch of an inference stage's listener: processed, its predictions and dead letters published and
 * acknowledged inside the batch's transaction (committed with its offsets by the container), and reported. A
 * model-server or broker failure escapes as an exception and the container rolls the batch back and retries it; the
 * breaker pauses the listener when failures persist, and hears of a success only once the batch has committed.
 */
final class InferenceBatches {

    private final InferenceStage<?> stage;
    private final Publisher publisher;
    private final BatchReporting reporting;

    InferenceBatches(InferenceStage<?> stage, Publisher publisher, CircuitBreaker breaker) {
        this.stage = stage;
        this.publisher = publisher;
        this.reporting = new BatchReporting(stage.metrics(), breaker::succeeded, breaker::failed);
    }

    void handle(List<ConsumerRecord<byte[], byte[]>> records) {
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
