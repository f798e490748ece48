package io.streaminference.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** The output side every stage shares: acknowledged batch publishing, dead-letter records and their redrive. */
@Configuration(proxyBeanMethods = false)
class KafkaPlumbingConfiguration {

    @Bean
    BatchPublisher batchPublisher(KafkaTemplate<byte[], byte[]> template, KafkaPipelineProperties properties,
            MeterRegistry registry) {
        return new BatchPublisher(template, properties.sendTimeout(), registry);
    }

    @Bean
    DeadLetterRedrive deadLetterRedrive(ConsumerFactory<byte[], byte[]> consumers, KafkaTemplate<byte[], byte[]> template,
            TopicsProperties topics, KafkaPipelineProperties properties, MeterRegistry registry) {
        return new DeadLetterRedrive(consumers, template, topics, properties.sendTimeout(), registry);
    }

    @Bean
    DeadLetters deadLetters(TopicsProperties topics) {
        return new DeadLetters(topics);
    }
}
