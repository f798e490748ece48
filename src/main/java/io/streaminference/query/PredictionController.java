package io.streaminference.query;

import io.streaminference.contract.EventIds;
import io.streaminference.contract.Prediction;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read side of the pipeline: predictions by event id and an entity's newest predictions. */
@ConditionalOnRole(Role.API)
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class PredictionController {

    static final int MAX_ENTITY_KEY = 256;
    static final int MAX_LIMIT = 1000;

    /** The rules of an entity query's key and limit, shared by the prediction and session queries. */
    static void checkEntity(String entityKey, int limit) {
        if (entityKey.isBlank() || entityKey.length() > MAX_ENTITY_KEY) {
            throw new InvalidRequestException("entityKey must be 1-" + MAX_ENTITY_KEY + " characters and not blank");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    private final StoredReader<Prediction> reader;

    PredictionController(StoredReader<Prediction> reader) {
        this.reader = reader;
    }

    @Operation(summary = "The prediction stored for one event")
    @GetMapping("/predictions/{eventId}")
    PredictionView prediction(@Parameter(description = EventIds.RULE) @PathVariable String eventId) {
        if (!EventIds.isValid(eventId)) {
            throw new InvalidRequestException("eventId must be " + EventIds.RULE);
        }
        return reader.find(eventId).map(PredictionView::of).orElseThrow(() -> NotFoundException.prediction(eventId));
    }

    @Operation(summary = "An entity's newest predictions, newest event first")
    @GetMapping("/entities/{entityKey}/predictions")
    EntityPredictionsView entityPredictions(@PathVariable String entityKey,
            @Parameter(description = "1-1000") @RequestParam(defaultValue = "20") int limit) {
        checkEntity(entityKey, limit);
        return new EntityPredictionsView(entityKey,
                reader.newestForEntity(entityKey, limit).stream().map(PredictionView::of).toList());
    }
}
