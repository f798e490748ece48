package io.streaminference.deadletter;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Actuator endpoint {@code deadletters}: {@code POST /actuator/deadletters} with
 * {@code {"topic":"s0-dlt","partition":0,"fromOffset":10,"toOffset":20}} replays those dead letters to their source
 * topic (partition and offsets optional); see {@link DeadLetterRedrive}. A bad request answers 400, a redrive that is
 * already running 409, both as problem details. For operators only: it is on the management port.
 */
@Component
@Endpoint(id = "deadletters")
class DeadLetterEndpoint {

    private final DeadLetterRedrive redrive;

    DeadLetterEndpoint(DeadLetterRedrive redrive) {
        this.redrive = redrive;
    }

    @WriteOperation
    DeadLetterRedrive.Result redrive(String topic, @Nullable Integer partition, @Nullable Long fromOffset,
            @Nullable Long toOffset) {
        try {
            return redrive.redrive(new DeadLetterRedrive.Request(topic, partition, fromOffset, toOffset));
        } catch (DeadLetterRedrive.InvalidRedriveException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        } catch (DeadLetterRedrive.RedriveBusyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
