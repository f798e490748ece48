package io.streaminference.sessions;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The session stage ({@code pipeline.sessions.*}); Kafka Streams itself is configured under
 * {@code spring.kafka.streams.*} (application id, state directory, exactly_once_v2).
 *
 * @param enabled       off: no session stage, no session scoring or storing
 * @param inactivityGap event time without an event of the user after which the session ends
 * @param grace         how late (in event time) an event may arrive and still join its session; later ones are
 *                      counted and dropped from sessions
 * @param emitEvery     emit an early summary each time an open session's event count reaches a multiple of this;
 *                      0 (the default) for none
 */
@Validated
@ConfigurationProperties("pipeline.sessions")
public record SessionsProperties(
        Boolean enabled,
        @NotNull @DurationMin(seconds = 1) @DurationMax(days = 1) Duration inactivityGap,
        @NotNull @DurationMin(millis = 0) @DurationMax(hours = 1) Duration grace,
        @Min(0) @Max(1_000_000) int emitEvery) {

    public SessionsProperties {
        enabled = enabled == null || enabled;
    }

    @AssertTrue(message = "pipeline.sessions.emit-every must be 0 (off) or at least 2")
    public boolean isEmitEveryUseful() {
        return emitEvery != 1;
    }
}
