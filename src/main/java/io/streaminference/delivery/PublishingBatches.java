package io.streaminference.delivery;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One batch of a stage whose output is Kafka records (preprocess, inference): processed, its records and dead letters
 * sent into the batch's transaction (committed with its offsets by the container, which waits for their
 * acknowledgements) or, at-least-once, published and acknowledged before the listener returns, and
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
        Supplier<PublishException> notCommitted;
        try {
            output = stage.apply(records);
            if (publisher.inTransaction()) {
                notCommitted = publisher.sendInTransaction(output.records())::notCommitted;
            } else {
                publisher.publish(output.records());
                notCommitted = () -> PublishException.notCommitted(output.records());
            }
        } catch (RuntimeException e) {
            reporting.attemptFailed(records.size(), e);
            throw e;
        }
        reporting.afterCommit(output, records.size(), () -> { }, notCommitted);
    }
}
