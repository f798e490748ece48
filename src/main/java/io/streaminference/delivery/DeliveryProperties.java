package io.streaminference.delivery;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka settings of the pipeline itself ({@code pipeline.kafka.*}); client settings stay under {@code spring.kafka}.
 *
 * @param delivery            {@code exactly-once} (transactions, the default) or {@code at-least-once}
 * @param transactionIdPrefix transactional id prefix; empty derives one from the host (pod) name: unique per instance, stable across its restarts
 * @param sendTimeout         how long a stage waits for the broker to acknowledge a batch's output before it fails the
 *                            batch (which is then retried, never skipped)
 */
@Validated
@ConfigurationProperties("pipeline.kafka")
public record DeliveryProperties(
        @NotNull Delivery delivery,
        @Pattern(regexp = "[A-Za-z0-9._-]{0,100}") String transactionIdPrefix,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 4) Duration sendTimeout) {

    public DeliveryProperties {
        if (delivery == null) {
            delivery = Delivery.EXACTLY_ONCE;
        }
    }

    public enum Delivery { EXACTLY_ONCE, AT_LEAST_ONCE }
}
