package io.streaminference.breaker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * When a stage stops polling its dependency to death ({@code pipeline.breaker.*}).
 *
 * @param failureThreshold consecutive failed batches that open the breaker and pause the stage's listener
 * @param probeInterval    how often a paused stage checks its dependency; it resumes within one interval of recovery
 */
@Validated
@ConfigurationProperties("pipeline.breaker")
public record BreakerProperties(
        @Min(1) @Max(1000) int failureThreshold,
        @NotNull @DurationMin(millis = 100) @DurationMax(seconds = 10) Duration probeInterval) {
}
