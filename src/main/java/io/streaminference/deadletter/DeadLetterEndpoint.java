package io.streaminference.deadletter;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Actuator endpoint {@code deadletters}: {@code POST /actuator/deadletters} with
 * {@code {"topic":"s0-dlt","partition":0,"fromOffset":10,"toOffset":20}} replays those dead letters to their source
 * topic (partition and offsets optional). Expose it only where operators, not users, can reach the management port.
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
        return redrive.redrive(topic, partition, fromOffset, toOffset);
    }
}
