package io.streaminference.breaker;

import io.streaminference.delivery.KafkaPrincipalName;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code kafkaAccess}: DOWN while a stage is paused because the broker refuses the app's principal
 * (a missing ACL), naming the stage and the refusal. In neither probe group on purpose: a restart does not grant an
 * ACL, and the API still answers — the overall health and its alerts are where an operator looks.
 */
@Component("kafkaAccess")
class KafkaAccessHealthIndicator extends AbstractHealthIndicator {

    private final ObjectProvider<CircuitBreaker> breakers;
    private final ObjectProvider<ProducerFactory<?, ?>> producers;

    KafkaAccessHealthIndicator(ObjectProvider<CircuitBreaker> breakers, ObjectProvider<ProducerFactory<?, ?>> producers) {
        super("Kafka access health check failed");
        this.breakers = breakers;
        this.producers = producers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> denied = new TreeMap<>();
        for (CircuitBreaker breaker : breakers.orderedStream().toList()) {
            Throwable denial = breaker.denial();
            if (denial != null) {
                denied.put(breaker.stage(), CircuitBreaker.describe(denial));
            }
        }
        (denied.isEmpty() ? builder.up() : builder.down()).withDetail("denied", denied);
        ProducerFactory<?, ?> producer = producers.getIfUnique();
        if (!denied.isEmpty() && producer != null) {
            builder.withDetail("principal", KafkaPrincipalName.of(producer.getConfigurationProperties()));
        }
    }
}
