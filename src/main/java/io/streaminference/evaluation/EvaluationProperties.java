package io.streaminference.evaluation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The evaluation stage ({@code pipeline.evaluation.*}): labels joined with predictions, and the online metrics per
 * model version. A Kafka Streams instance of its own, with the client settings of {@code spring.kafka.streams.*}.
 *
 * @param enabled       on: labels are joined and evaluated; off (the default): no join, no online metrics. It costs
 *                      a store write and a changelog record per prediction (docs/benchmarks.md)
 * @param applicationId its Kafka Streams application id: consumer group, transactional ids, internal topics' prefix
 * @param joinWindow how far apart (by record time) a label and its prediction may arrive and still meet; predictions
 *                   wait this long for their label in the stage's store, so it sizes the state: predictions per
 *                   second × window × ~80 bytes
 * @param windowSize labelled predictions per model version the online metrics cover (the most recent)
 */
@Validated
@ConfigurationProperties("pipeline.evaluation")
public record EvaluationProperties(
        Boolean enabled,
        @NotNull @jakarta.validation.constraints.Pattern(regexp = "[a-zA-Z0-9._-]{1,200}") String applicationId,
        @NotNull @DurationMin(seconds = 1) @DurationMax(days = 7) Duration joinWindow,
        @Min(10) @Max(1_000_000) int windowSize) {

    public EvaluationProperties {
        enabled = enabled != null && enabled;
    }
}
