package io.streaminference.sink;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Prediction;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.deadletter.Reason;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.delivery.StageOutput;
import io.streaminference.sink.RedisPredictionWriter.StoredPrediction;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * s2 → Redis: splits a batch into predictions to store and dead letters for records that are not a usable
 * {@link Prediction} (undecodable, no event id, no entity key, no scores), and after the store dead-letters the
 * predictions whose event id is already stored under another entity ({@code event_id_clash}).
 */
final class SinkStage {

    static final String STAGE = "sink";
    static final String EVENT_ID_CLASH = "event_id_clash";

    private final DeadLetters deadLetters;
    private final StageMetrics metrics;

    SinkStage(DeadLetters deadLetters, StageMetrics metrics) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** The stage's counters, for its listener to report each batch to. */
    StageMetrics metrics() {
        return metrics;
    }

    Split split(List<ConsumerRecord<byte[], byte[]>> batch) {
        metrics.received(batch.size());
        Split split = new Split(new ArrayList<>(batch.size()), new ArrayList<>(batch.size()), new StageOutput());
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            try {
                Prediction prediction = Prediction.parseFrom(value);
                String missing = prediction.getEventId().isEmpty() ? "event_id"
                        : prediction.getEntityKey().isEmpty() ? "entity_key"
                        : prediction.getScoresCount() == 0 ? "scores"
                        : null;
                if (missing == null) {
                    split.predictions().add(new StoredPrediction(prediction, value));
                    split.sources().add(record);
                } else {
                    deadLetter(split.output(), record, "missing_" + missing, "prediction has no " + missing);
                }
            } catch (InvalidProtocolBufferException e) {
                deadLetter(split.output(), record, "undecodable",
                        "not a streaminference.v1.Prediction: " + e.getMessage());
            }
        }
        return split;
    }

    /**
     * The batch's output once its predictions are stored: those Redis did not store because their event id belongs to
     * another entity become dead letters, the rest count as stored.
     *
     * @param clashes positions in {@link Split#predictions()}
     */
    StageOutput stored(Split split, List<Integer> clashes) {
        for (int clash : clashes) {
            Prediction prediction = split.predictions().get(clash).prediction();
            deadLetter(split.output(), split.sources().get(clash), EVENT_ID_CLASH, "event id "
                    + prediction.getEventId() + " is already stored for another entity than " + prediction.getEntityKey());
        }
        split.output().emitted(split.predictions().size() - clashes.size());
        return split.output();
    }

    private void deadLetter(StageOutput output, ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
        output.deadLetter(deadLetters.of(record, STAGE, new Reason(reason, detail, InvalidPredictionException.class)),
                reason);
    }

    /**
     * @param predictions the usable predictions, with {@code sources} their records at the same positions
     * @param output      the batch's dead letters so far
     */
    record Split(List<StoredPrediction> predictions, List<ConsumerRecord<byte[], byte[]>> sources, StageOutput output) {
    }

    /** Names the classified error in dead-letter headers; never thrown. */
    static final class InvalidPredictionException extends Exception {
        private InvalidPredictionException() {
        }
    }
}
