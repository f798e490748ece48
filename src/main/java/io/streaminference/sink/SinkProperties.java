package io.streaminference.sink;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How predictions are kept in Redis ({@code pipeline.sink.*}); the connection is {@code spring.data.redis.*}.
 *
 * @param keyPrefix         prefix of every key the pipeline writes
 * @param ttl               lifetime of a stored prediction and of an entity index after its last write
 * @param entityHistorySize newest predictions kept in each entity's index
 */
@Validated
@ConfigurationProperties("pipeline.sink")
public record SinkProperties(
        @NotNull @Pattern(regexp = "[A-Za-z0-9:._{}-]{0,64}") String keyPrefix,
        @NotNull @DurationMin(seconds = 1) Duration ttl,
        @Min(1) @Max(100_000) int entityHistorySize) {
}
