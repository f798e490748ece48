package io.streaminference.delivery;

import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One batch of a stage whose output is Kafka records (preprocess, inference): processed, its records and dead letters
 * published and acknowledged inside the batch's transaction (committed with its offsets by the container), and
 * reported ({@link BatchReporting}). A failure escapes as an exception, so the container rolls the batch back and
 * retries it; the stage's breaker hears of a success only once the batch has committed.
 */
public final class PublishingBatches {

    private final Function<List<ConsumerRecord<byte[], byte[]>>, StageOutput> stage;
    private final Publisher publisher;
    private final BatchReporting reporting;

    /** @param stage turns a batch into the records to publish */
    public PublishingBatches(Function<List<ConsumerRecord<byte[], byte[]>>, StageOutput> stage, Publisher publisher,
            BatchReporting reporting) {
        this.stage = stage;
        this.publisher = publisher;
        this.reporting = reporting;
    }

    public void handle(List<ConsumerRecord<byte[], byte[]>> records) {
        StageOutput output;
        try {
            output = stage.apply(records);
            publisher.publish(output.records());
        } catch (RuntimeException e) {
            reporting.attemptFailed(records.size(), e);
            throw e;
        }
        reporting.afterCommit(output, records.size());
    }
}
