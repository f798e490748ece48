package io.streaminference.query;

import io.streaminference.contract.EventIds;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.sink.DeadLetterEntry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Where an event went (its journey), and the newest dead letters per topic and reason. */
@ConditionalOnRole(Role.API)
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class JourneyController {

    static final int MAX_PER_KIND = 20;

    private final JourneyReader reader;

    JourneyController(JourneyReader reader) {
        this.reader = reader;
    }

    @Operation(summary = "An event's journey: its stages with times and records, the model version that answered, "
            + "or the stage and reason of its dead letter")
    @GetMapping("/events/{eventId}/journey")
    JourneyView journey(@Parameter(description = EventIds.RULE) @PathVariable String eventId) {
        if (!EventIds.isValid(eventId)) {
            throw new InvalidRequestException("eventId must be " + EventIds.RULE);
        }
        JourneyReader.Stored stored = reader.stored(eventId).orElse(null);
        DeadLetterEntry deadLetter = reader.deadLetter(eventId).orElse(null);
        if (stored == null && deadLetter == null) {
            throw NotFoundException.journey(eventId);
        }
        return JourneyView.of(eventId, stored, deadLetter);
    }

    /** The newest dead letters of each topic and reason. */
    record DeadLettersView(List<List<DeadLetterEntry>> kinds) {
    }

    @Operation(summary = "The newest dead letters of each dead-letter topic and reason (key, reason, a preview)")
    @GetMapping("/dead-letters")
    DeadLettersView deadLetters(@Parameter(description = "per topic and reason, 1-20")
            @RequestParam(defaultValue = "5") int limit) {
        if (limit < 1 || limit > MAX_PER_KIND) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_PER_KIND);
        }
        return new DeadLettersView(reader.recentDeadLetters(limit));
    }
}
