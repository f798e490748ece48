package io.streaminference.sink;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.deadletter.Reason;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.delivery.StageOutput;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * s2 → Redis (or s2-sessions → Redis, by its {@link StoredInput}): splits a batch into predictions to store and dead
 * letters for records that are not a usable prediction (undecodable, no id, no entity key, no scores), and after the
 * store dead-letters the predictions whose id is already stored under another entity ({@code event_id_clash}).
 *
 * @param <M> the prediction message
 */
final class SinkStage<M> {

    static final String EVENT_ID_CLASH = "event_id_clash";

    private final String name;
    private final StoredInput<M> input;
    private final DeadLetters deadLetters;
    private final StageMetrics metrics;

    SinkStage(String name, StoredInput<M> input, DeadLetters deadLetters, StageMetrics metrics) {
        this.name = name;
        this.input = input;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    String name() {
        return name;
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
                M prediction = input.parse(value);
                String missing = input.missing(prediction);
                if (missing == null) {
                    split.stored().add(input.stored(prediction, value).readFrom(record));
                    split.sources().add(record);
                } else {
                    deadLetter(split.output(), record, "missing_" + missing, "prediction has no " + missing);
                }
            } catch (InvalidProtocolBufferException e) {
                deadLetter(split.output(), record, "undecodable", "not a " + input.messageName() + ": "
                        + e.getMessage());
            }
        }
        return split;
    }

    /**
     * The batch's output once its predictions are stored: those Redis did not store because their id belongs to
     * another entity become dead letters, the rest count as stored.
     *
     * @param clashes positions in {@link Split#stored()}
     */
    StageOutput stored(Split split, List<Integer> clashes) {
        for (int clash : clashes) {
            StoredRecord record = split.stored().get(clash);
            deadLetter(split.output(), split.sources().get(clash), EVENT_ID_CLASH, "id " + record.id()
                    + " is already stored for another entity than " + record.entityKey());
        }
        split.output().emitted(split.stored().size() - clashes.size());
        return split.output();
    }

    private void deadLetter(StageOutput output, ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
        output.deadLetter(deadLetters.of(record, name, new Reason(reason, detail, InvalidPredictionException.class)),
                reason);
    }

    /**
     * @param stored  the usable predictions, with {@code sources} their records at the same positions
     * @param output  the batch's dead letters so far
     */
    record Split(List<StoredRecord> stored, List<ConsumerRecord<byte[], byte[]>> sources, StageOutput output) {
    }

    /** Names the classified error in dead-letter headers; never thrown. */
    static final class InvalidPredictionException extends Exception {
        private InvalidPredictionException() {
        }
    }
}
