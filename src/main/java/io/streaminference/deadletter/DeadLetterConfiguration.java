package io.streaminference.deadletter;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.delivery.DeliveryProperties;
import io.streaminference.delivery.DeliveryProperties.Delivery;
import io.streaminference.topics.TopicsProperties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

/** Dead-letter records for every stage, and their redrive. */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    /** Kafka's producer default for max.request.size. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    @Bean
    DeadLetters deadLetters(TopicsProperties topics, ProducerFactory<?, ?> producers) {
        Object maxRequestSize = producers.getConfigurationProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return new DeadLetters(topics, maxRequestSize == null ? DEFAULT_MAX_REQUEST_SIZE
                : Integer.parseInt(maxRequestSize.toString().trim()));
    }

    @Bean
    DeadLetterRedrive deadLetterRedrive(ConsumerFactory<?, ?> consumers, ProducerFactory<?, ?> producers,
            TopicsProperties topics, DeliveryProperties delivery, RedriveProperties redrive,
            @Value("${spring.kafka.consumer.group-id}") String groupId, MeterRegistry registry) {
        return new DeadLetterRedrive(consumers.getConfigurationProperties(), producers.getConfigurationProperties(),
                delivery.delivery() == Delivery.EXACTLY_ONCE, topics, groupId, redrive.timeLimit(), registry);
    }
}
