package io.streaminference.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.streaminference.contract.Prediction;
import java.time.Instant;
import java.util.List;

/**
 * The REST representation of a stored prediction.
 *
 * @param score  the single score of a one-output model, else the highest score (that of {@code label})
 * @param scores the model's full output row
 */
record PredictionView(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("entity_key") String entityKey,
        @JsonProperty("score") float score,
        @JsonProperty("scores") List<Float> scores,
        @JsonProperty("label") String label,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("model_version") long modelVersion,
        @JsonProperty("event_time") Instant eventTime,
        @JsonProperty("predicted_at") Instant predictedAt) {

    static PredictionView of(Prediction prediction) {
        float best = prediction.getScores(0);
        for (float score : prediction.getScoresList()) {
            best = Math.max(best, score);
        }
        return new PredictionView(prediction.getEventId(), prediction.getEntityKey(), best,
                prediction.getScoresList(), prediction.getLabel(), prediction.getModelName(),
                prediction.getModelVersion(), Instant.ofEpochMilli(prediction.getEventTimeMs()),
                Instant.ofEpochMilli(prediction.getPredictedAtMs()));
    }
}
