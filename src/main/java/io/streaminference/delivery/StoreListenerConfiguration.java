package io.streaminference.delivery;

import org.springframework.boot.autoconfigure.kafka.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The listener container for a stage whose output is an idempotent store outside Kafka (the sink's Redis), in both
 * delivery modes.
 *
 * <p>A Kafka transaction cannot include such a store, and replaying a batch rewrites identical data, so a
 * transaction per batch would buy nothing but the broker's work for it (offsets added to the transaction, its
 * commit and markers). This container runs none: it commits a batch's offsets after the listener returns, and retries
 * a failed batch in place without limit, as in at-least-once mode. It still reads {@code read_committed}, so only
 * committed records reach the store. The stage's own Kafka output, its dead letters, goes through
 * {@link BatchPublisher#sendWithOffsets}: in exactly-once mode in one local transaction with the batch's offsets, so
 * dead letters and offsets still commit together.
 */
@Configuration(proxyBeanMethods = false)
public class StoreListenerConfiguration {

    public static final String CONTAINER_FACTORY = "storeListenerContainerFactory";

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> storeListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        // Everything else (batch mode, concurrency, ack mode, observation) as for the other stages' containers.
        configurer.configure(factory, consumers);
        factory.getContainerProperties().setKafkaAwareTransactionManager(null);
        factory.setCommonErrorHandler(DeliveryConfiguration.retryWithoutLimit());
        return factory;
    }
}
