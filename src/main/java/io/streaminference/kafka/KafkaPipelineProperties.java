package io.streaminference.kafka;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka settings of the pipeline itself ({@code pipeline.kafka.*}); client settings stay under {@code spring.kafka}.
 *
 * @param sendTimeout how long a stage waits for the broker to acknowledge a batch's output before it fails the
 *                    batch (which is then retried, never skipped)
 */
@Validated
@ConfigurationProperties("pipeline.kafka")
public record KafkaPipelineProperties(@NotNull @DurationMin(millis = 100) @DurationMax(minutes = 4) Duration sendTimeout) {
}
