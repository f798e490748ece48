package io.streaminference.dashboard;

import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The dashboard's live feed over Server-Sent Events, and its latest snapshot as plain JSON. */
@ConditionalOnRole(Role.API)
@RestController
@RequestMapping("/api/v1/live")
class LiveController {

    private final LiveFeed feed;

    LiveController(LiveFeed feed) {
        this.feed = feed;
    }

    @Operation(summary = "Server-Sent Events: 'history' (the last five minutes), then a 'snapshot' every second")
    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter live() {
        return feed.open();
    }

    @Operation(summary = "The latest live snapshot")
    @GetMapping(path = "/snapshot", produces = MediaType.APPLICATION_JSON_VALUE)
    LiveSnapshot snapshot() {
        LiveSnapshot latest = feed.latest();
        if (latest == null) {
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "no snapshot yet");
        }
        return latest;
    }
}
