package io.streaminference.inference;

import io.streaminference.delivery.DeliveryProperties;
import io.streaminference.delivery.DeliveryProperties.Delivery;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Stops startup when {@link PollBudget} finds the poll, deadline and timeout settings unsafe. It reads the effective
 * client settings from the consumer and producer factories, so a value set through {@code spring.kafka.properties.*},
 * {@code spring.kafka.consumer.properties.*} or {@code spring.kafka.consumer.max-poll-records} counts the same.
 */
@ConditionalOnRole(Role.INFERENCE)
@Component
class PollBudgetGuard implements InitializingBean {

    static final int KAFKA_DEFAULT_MAX_POLL_RECORDS = 500;
    static final long KAFKA_DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;
    static final long KAFKA_DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

    private final Map<String, Object> consumer;
    private final Map<String, Object> producer;
    private final InferenceProperties inference;
    private final DeliveryProperties delivery;

    PollBudgetGuard(ConsumerFactory<?, ?> consumers, ProducerFactory<?, ?> producers, InferenceProperties inference,
            DeliveryProperties delivery) {
        this.consumer = consumers.getConfigurationProperties();
        this.producer = producers.getConfigurationProperties();
        this.inference = inference;
        this.delivery = delivery;
    }

    @Override
    public void afterPropertiesSet() {
        Long transactionTimeout = delivery.delivery() == Delivery.EXACTLY_ONCE
                ? number(producer, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, KAFKA_DEFAULT_TRANSACTION_TIMEOUT_MS)
                : null;
        PollBudget.violation(
                (int) number(consumer, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, KAFKA_DEFAULT_MAX_POLL_RECORDS),
                inference.maxBatchSize(),
                inference.deadline(),
                delivery.sendTimeout(),
                number(consumer, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, KAFKA_DEFAULT_MAX_POLL_INTERVAL_MS),
                transactionTimeout,
                inference.models().events().hasCanary() || inference.models().sessions().hasCanary(),
                inference.models().events().hasShadow())
                .ifPresent(problem -> {
                    throw new IllegalStateException(problem);
                });
    }

    private static long number(Map<String, Object> config, String key, long fallback) {
        Object value = config.get(key);
        if (value instanceof Number number) {
            return number.longValue();
        }
        return value == null || value.toString().isBlank() ? fallback : Long.parseLong(value.toString().trim());
    }
}
