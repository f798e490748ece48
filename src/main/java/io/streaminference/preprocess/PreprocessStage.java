package io.streaminference.preprocess;

import io.streaminference.contract.Features;
import io.streaminference.contract.SourcePosition;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.deadletter.Reason;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.delivery.StageOutput;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * s0 → s1: turns one polled batch of raw events into the records to publish, an s1 {@link Features} record for
 * each valid event (keyed by user id) and an s0 dead letter for each invalid one, in input order.
 */
final class PreprocessStage {

    static final String STAGE = "preprocess";

    private final EventParser parser;
    private final Preprocessor preprocessor;
    private final String featuresTopic;
    private final DeadLetters deadLetters;
    private final StageMetrics metrics;
    private final Clock clock;
    private final RecordTracing tracing;

    PreprocessStage(EventParser parser, Preprocessor preprocessor, String featuresTopic, DeadLetters deadLetters,
            StageMetrics metrics, Clock clock, RecordTracing tracing) {
        this.parser = parser;
        this.preprocessor = preprocessor;
        this.featuresTopic = featuresTopic;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
        this.tracing = tracing;
    }

    /** The stage's counters, for its listener to report each batch to. */
    StageMetrics metrics() {
        return metrics;
    }

    StageOutput process(List<ConsumerRecord<byte[], byte[]>> batch) {
        metrics.received(batch.size());
        StageOutput out = new StageOutput();
        long now = clock.millis();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            try {
                ClickEvent event = parser.parse(record.value());
                out.emit(toFeatures(record, event, now));
            } catch (InvalidEventException e) {
                String reason = e.reason().code();
                out.deadLetter(deadLetters.of(record, STAGE, new Reason(reason, e.getMessage(),
                        InvalidEventException.class)), reason);
            }
        }
        return out;
    }

    private ProducerRecord<byte[], byte[]> toFeatures(ConsumerRecord<byte[], byte[]> record, ClickEvent event,
            long now) {
        Features.Builder features = preprocessor.toFeatures(event)
                .setSource(SourcePosition.newBuilder()
                        .setTopic(record.topic())
                        .setPartition(record.partition())
                        .setOffset(record.offset()))
                .setIngestedAtMs(Math.max(record.timestamp(), 0))
                .setPreprocessedAtMs(now);
        // Keyed by user id so one user's events stay ordered on one partition through every stage.
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(featuresTopic,
                event.userId().getBytes(StandardCharsets.UTF_8), features.build().toByteArray());
        tracing.propagate(STAGE, record, out);
        return out;
    }
}
