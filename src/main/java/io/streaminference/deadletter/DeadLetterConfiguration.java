package io.streaminference.deadletter;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.delivery.DeliveryProperties;
import io.streaminference.topics.TopicsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** Dead-letter records for every stage, and their redrive. */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    @Bean
    DeadLetters deadLetters(TopicsProperties topics) {
        return new DeadLetters(topics);
    }

    @Bean
    DeadLetterRedrive deadLetterRedrive(ConsumerFactory<byte[], byte[]> consumers, KafkaTemplate<byte[], byte[]> template,
            TopicsProperties topics, DeliveryProperties properties, MeterRegistry registry) {
        return new DeadLetterRedrive(consumers, template, topics, properties.sendTimeout(), registry);
    }
}
