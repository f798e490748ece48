package io.streaminference.sink;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Prediction;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.deadletter.Reason;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.sink.RedisPredictionWriter.StoredPrediction;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * s2 → Redis: splits a batch into predictions to store and dead letters for records that are not a usable
 * {@link Prediction} (undecodable, no event id, no entity key, no scores).
 */
final class SinkStage {

    static final String STAGE = "sink";

    private final DeadLetters deadLetters;
    private final StageMetrics metrics;

    SinkStage(DeadLetters deadLetters, StageMetrics metrics) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Counts the records of a batch attempt that failed and will be consumed again. */
    void failed(int records) {
        metrics.retried(records);
    }

    Split split(List<ConsumerRecord<byte[], byte[]>> batch) {
        metrics.received(batch.size());
        List<StoredPrediction> predictions = new ArrayList<>(batch.size());
        List<ProducerRecord<byte[], byte[]>> deadLettered = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            try {
                Prediction prediction = Prediction.parseFrom(value);
                String reason = prediction.getEventId().isEmpty() ? "missing_event_id"
                        : prediction.getEntityKey().isEmpty() ? "missing_entity_key"
                        : prediction.getScoresCount() == 0 ? "missing_scores"
                        : null;
                if (reason == null) {
                    predictions.add(new StoredPrediction(prediction, value));
                } else {
                    deadLettered.add(deadLetter(record, reason, "prediction has no " + reason.substring("missing_".length())));
                }
            } catch (InvalidProtocolBufferException e) {
                deadLettered.add(deadLetter(record, "undecodable", "not a streaminference.v1.Prediction: " + e.getMessage()));
            }
        }
        return new Split(predictions, deadLettered);
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
        metrics.deadLettered(reason);
        return deadLetters.of(record, STAGE, new Reason(reason, detail, InvalidPredictionException.class));
    }

    void stored(List<StoredPrediction> predictions) {
        metrics.emitted(predictions.size());
    }

    record Split(List<StoredPrediction> predictions, List<ProducerRecord<byte[], byte[]>> deadLetters) {
    }

    /** Names the classified error in dead-letter headers; never thrown. */
    static final class InvalidPredictionException extends Exception {
        private InvalidPredictionException() {
        }
    }
}
