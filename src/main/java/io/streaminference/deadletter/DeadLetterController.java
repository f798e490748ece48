package io.streaminference.deadletter;

import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The dashboard's redrive button: {@code POST /api/v1/dead-letters/{topic}/redrive} replays every dead letter of the
 * topic, as {@code POST /actuator/deadletters} does on the management port. An operator's, signed in to the dashboard
 * (the security configuration says so); 400 for a topic that is not a dead-letter topic, 409 while one runs.
 */
@ConditionalOnRole(Role.API)
@RestController
class DeadLetterController {

    private final DeadLetterRedrive redrive;

    DeadLetterController(DeadLetterRedrive redrive) {
        this.redrive = redrive;
    }

    @PostMapping(path = "/api/v1/dead-letters/{topic}/redrive", produces = MediaType.APPLICATION_JSON_VALUE)
    DeadLetterRedrive.Result redrive(@PathVariable String topic) {
        try {
            return redrive.redrive(new DeadLetterRedrive.Request(topic, null, null, null));
        } catch (DeadLetterRedrive.InvalidRedriveException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (DeadLetterRedrive.RedriveBusyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
