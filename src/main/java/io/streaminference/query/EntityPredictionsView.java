package io.streaminference.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** An entity's newest predictions, newest event first. */
record EntityPredictionsView(
        @JsonProperty("entity_key") String entityKey,
        @JsonProperty("predictions") List<PredictionView> predictions) {
}
