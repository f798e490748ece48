package io.streaminference.deadletter;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Redriving dead letters ({@code pipeline.redrive.*}).
 *
 * @param timeLimit how long one redrive request may run; it then answers {@code complete: false} and the same request
 *                  again continues where it stopped
 */
@Validated
@ConfigurationProperties("pipeline.redrive")
public record RedriveProperties(@NotNull @DurationMin(seconds = 1) @DurationMax(hours = 1) Duration timeLimit) {
}
