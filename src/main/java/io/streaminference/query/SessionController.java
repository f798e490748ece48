package io.streaminference.query;

import io.streaminference.contract.SessionIds;
import io.streaminference.contract.SessionPrediction;
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

/** Read side of the session stage: a session's prediction by id, and an entity's newest sessions. */
@ConditionalOnRole(Role.API)
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class SessionController {

    private final StoredReader<SessionPrediction> reader;

    SessionController(StoredReader<SessionPrediction> reader) {
        this.reader = reader;
    }

    @Operation(summary = "The prediction stored for one session")
    @GetMapping("/sessions/{sessionId}")
    SessionView session(@Parameter(description = "32 lower-case hex digits") @PathVariable String sessionId) {
        if (!SessionIds.isValid(sessionId)) {
            throw new InvalidRequestException("sessionId must be 32 lower-case hex digits");
        }
        return reader.find(sessionId).map(SessionView::of).orElseThrow(() -> NotFoundException.session(sessionId));
    }

    @Operation(summary = "An entity's newest sessions, newest start first")
    @GetMapping("/entities/{entityKey}/sessions")
    EntitySessionsView entitySessions(@PathVariable String entityKey,
            @Parameter(description = "1-1000") @RequestParam(defaultValue = "20") int limit) {
        PredictionController.checkEntity(entityKey, limit);
        return new EntitySessionsView(entityKey,
                reader.newestForEntity(entityKey, limit).stream().map(SessionView::of).toList());
    }
}
