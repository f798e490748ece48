package io.streaminference.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.streaminference.contract.SessionPrediction;
import java.time.Instant;
import java.util.List;

/**
 * The REST representation of a stored session prediction.
 *
 * @param score the single score of a one-output model, else the highest score (that of {@code label})
 * @param last  false for an early prediction of a session that was still open
 */
record SessionView(
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("entity_key") String entityKey,
        @JsonProperty("start") Instant start,
        @JsonProperty("end") Instant end,
        @JsonProperty("event_count") int eventCount,
        @JsonProperty("score") float score,
        @JsonProperty("scores") List<Float> scores,
        @JsonProperty("label") String label,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("model_version") long modelVersion,
        @JsonProperty("final") boolean last,
        @JsonProperty("predicted_at") Instant predictedAt) {

    static SessionView of(SessionPrediction prediction) {
        float best = prediction.getScores(0);
        for (float score : prediction.getScoresList()) {
            best = Math.max(best, score);
        }
        return new SessionView(prediction.getSessionId(), prediction.getEntityKey(),
                Instant.ofEpochMilli(prediction.getStartMs()), Instant.ofEpochMilli(prediction.getEndMs()),
                prediction.getEventCount(), best, prediction.getScoresList(), prediction.getLabel(),
                prediction.getModelName(), prediction.getModelVersion(), prediction.getFinal(),
                Instant.ofEpochMilli(prediction.getPredictedAtMs()));
    }
}
