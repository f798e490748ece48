package io.streaminference.sink;

import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.delivery.BatchReporting;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageOutput;
import io.streaminference.delivery.StoreListenerConfiguration;
import io.streaminference.delivery.StoreStageCommitter;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One batch of a sink stage's listener: offsets are committed only after Redis has confirmed the batch's writes and
 * its dead letters are committed (with the offsets, in exactly-once mode). No Kafka transaction per batch: Redis
 * cannot be in one, and its writes are idempotent ({@link StoreListenerConfiguration}). Redis or broker failures
 * escape and the container retries the batch; the breaker pauses the listener when failures persist.
 */
final class SinkBatches {

    private final SinkStage<?> stage;
    private final RedisPredictionWriter writer;
    private final StoreStageCommitter committer;
    private final BatchReporting reporting;
    private final RecordTracing tracing;
    private final Consumer<List<StoredRecord>> stored;

    /** @param stored told of each batch's stored predictions once its offsets are committed */
    SinkBatches(SinkStage<?> stage, RedisPredictionWriter writer, StoreStageCommitter committer,
            CircuitBreaker breaker, RecordTracing tracing, Consumer<List<StoredRecord>> stored) {
        this.stage = stage;
        this.writer = writer;
        this.committer = committer;
        this.reporting = new BatchReporting(stage.metrics(), breaker::succeeded, breaker::failed);
        this.tracing = tracing;
        this.stored = stored;
    }

    void handle(List<ConsumerRecord<byte[], byte[]>> records, org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        SinkStage.Split split = stage.split(records);
        RecordTracing.Started store = tracing.start(stage.name(), "store", records);
        StageOutput output;
        try {
            output = stage.stored(split, writer.write(split.stored()));
            committer.commitDeadLetters(output.records(), records, consumer);
        } catch (RuntimeException e) {
            store.stop(e);
            reporting.attemptFailed(records.size(), e);
            throw e;
        }
        store.stop(null);
        reporting.afterCommit(output, records.size(), () -> stored.accept(split.stored()));
    }
}
