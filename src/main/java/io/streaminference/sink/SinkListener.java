package io.streaminference.sink;

import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.delivery.BatchReporting;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageOutput;
import io.streaminference.delivery.StoreListenerConfiguration;
import io.streaminference.delivery.StoreStageCommitter;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes s2 in batches; offsets are committed only after Redis has confirmed the batch's writes and its dead
 * letters are committed (with the offsets, in exactly-once mode). No Kafka transaction per batch: Redis cannot be in
 * one, and its writes are idempotent ({@link StoreListenerConfiguration}). Redis or broker failures escape and the
 * container retries the batch; the breaker pauses the listener when failures persist.
 */
@Component
class SinkListener {

    private final SinkStage stage;
    private final RedisPredictionWriter writer;
    private final EndToEndLatency latency;
    private final StoreStageCommitter committer;
    private final BatchReporting reporting;
    private final RecordTracing tracing;

    SinkListener(SinkStage stage, RedisPredictionWriter writer, EndToEndLatency latency, StoreStageCommitter committer,
            @Qualifier("sinkBreaker") CircuitBreaker breaker, RecordTracing tracing) {
        this.stage = stage;
        this.writer = writer;
        this.latency = latency;
        this.committer = committer;
        this.reporting = new BatchReporting(stage.metrics(), breaker::succeeded, breaker::failed);
        this.tracing = tracing;
    }

    @KafkaListener(id = SinkStage.STAGE, topics = "${pipeline.topics.predictions}",
            groupId = "${spring.kafka.consumer.group-id}-" + SinkStage.STAGE,
            containerFactory = StoreListenerConfiguration.CONTAINER_FACTORY)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records, Consumer<?, ?> consumer) {
        SinkStage.Split split = stage.split(records);
        RecordTracing.Started store = tracing.start(SinkStage.STAGE, "store", records);
        StageOutput output;
        try {
            output = stage.stored(split, writer.write(split.predictions()));
            committer.commitDeadLetters(output.records(), records, consumer);
        } catch (RuntimeException e) {
            store.stop(e);
            reporting.attemptFailed(records.size(), e);
            throw e;
        }
        store.stop(null);
        reporting.afterCommit(output, records.size(), () -> latency.recordStored(split.predictions()));
    }
}
