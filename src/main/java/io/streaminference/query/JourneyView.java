package io.streaminference.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SourcePosition;
import io.streaminference.sink.DeadLetterEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one event went, without a tracing backend: each stage it passed with its time and the record it read or
 * wrote (from the stored {@code Prediction}'s stage times and source positions, and the sink's own fields), the model
 * version that answered — or the dead letter that ended it, with its stage and reason.
 *
 * @param status {@code stored}, or {@code dead_lettered} when its latest trace is a dead letter
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JourneyView(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("status") String status,
        @JsonProperty("entity_key") String entityKey,
        @JsonProperty("stages") List<Stage> stages,
        @JsonProperty("prediction") PredictionView prediction,
        @JsonProperty("dead_letter") DeadLetterEntry deadLetter) {

    /** One stage the event passed: when, and the record it is in there (null where the record is not known). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Stage(
            @JsonProperty("stage") String stage,
            @JsonProperty("at") Instant at,
            @JsonProperty("topic") String topic,
            @JsonProperty("partition") Integer partition,
            @JsonProperty("offset") Long offset) {
    }

    static JourneyView of(String eventId, JourneyReader.Stored stored, DeadLetterEntry deadLetter) {
        List<Stage> stages = new ArrayList<>();
        String entity = null;
        PredictionView view = null;
        if (stored != null) {
            Prediction p = stored.prediction();
            entity = p.getEntityKey();
            view = PredictionView.of(p);
            stages.add(stage("ingested", p.getIngestedAtMs(), p.hasSource() ? p.getSource() : null));
            stages.add(stage("preprocessed", p.getPreprocessedAtMs(), p.hasFeaturesSource() ? p.getFeaturesSource() : null));
            stages.add(stage("predicted", p.getPredictedAtMs(), position(stored.from())));
            stages.add(new Stage("stored", stored.storedAtMs() > 0 ? Instant.ofEpochMilli(stored.storedAtMs()) : null,
                    null, null, null));
        }
        // A dead letter newer than what is stored ends the journey (an event redriven and then stored is stored).
        boolean deadLast = deadLetter != null && (stored == null || deadLetter.deadLetteredAt() > stored.storedAtMs());
        if (deadLetter != null) {
            stages.add(new Stage("dead_lettered", Instant.ofEpochMilli(deadLetter.deadLetteredAt()), deadLetter.topic(),
                    deadLetter.partition(), deadLetter.offset()));
            if (entity == null && deadLetter.key() != null) {
                entity = deadLetter.key();
            }
        }
        return new JourneyView(eventId, deadLast ? "dead_lettered" : "stored", entity, stages, view, deadLetter);
    }

    private static Stage stage(String name, long atMs, SourcePosition position) {
        return new Stage(name, atMs > 0 ? Instant.ofEpochMilli(atMs) : null,
                position == null ? null : position.getTopic(), position == null ? null : position.getPartition(),
                position == null ? null : position.getOffset());
    }

    /** {@code topic:partition:offset} as the sink stores it; topic names have no colon. */
    private static SourcePosition position(String from) {
        String[] parts = from.split(":");
        if (parts.length != 3) {
            return null;
        }
        try {
            return SourcePosition.newBuilder().setTopic(parts[0]).setPartition(Integer.parseInt(parts[1]))
                    .setOffset(Long.parseLong(parts[2])).build();
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
