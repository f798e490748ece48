package io.streaminference.inference;

import io.streaminference.delivery.DeliveryProperties;
import io.streaminference.delivery.DeliveryProperties.Delivery;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.stereotype.Component;

/** Stops startup when {@link PollBudget} finds the poll, deadline and timeout settings unsafe. */
@Component
class PollBudgetGuard implements InitializingBean {

    static final int KAFKA_DEFAULT_MAX_POLL_RECORDS = 500;
    static final long KAFKA_DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;
    static final long KAFKA_DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

    private final KafkaProperties kafka;
    private final InferenceProperties inference;
    private final DeliveryProperties pipeline;

    PollBudgetGuard(KafkaProperties kafka, InferenceProperties inference, DeliveryProperties pipeline) {
        this.kafka = kafka;
        this.inference = inference;
        this.pipeline = pipeline;
    }

    @Override
    public void afterPropertiesSet() {
        Integer maxPollRecords = kafka.getConsumer().getMaxPollRecords();
        Long transactionTimeout = pipeline.delivery() == Delivery.EXACTLY_ONCE
                ? longProperty(kafka.getProducer().getProperties().get("transaction.timeout.ms"),
                        KAFKA_DEFAULT_TRANSACTION_TIMEOUT_MS)
                : null;
        PollBudget.violation(
                maxPollRecords == null ? KAFKA_DEFAULT_MAX_POLL_RECORDS : maxPollRecords,
                inference.deadline(),
                pipeline.sendTimeout(),
                longProperty(kafka.getConsumer().getProperties().get("max.poll.interval.ms"),
                        KAFKA_DEFAULT_MAX_POLL_INTERVAL_MS),
                transactionTimeout)
                .ifPresent(problem -> {
                    throw new IllegalStateException(problem);
                });
    }

    private static long longProperty(String value, long fallback) {
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }
}
