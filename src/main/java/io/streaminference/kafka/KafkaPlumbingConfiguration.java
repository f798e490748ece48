package io.streaminference.kafka;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** The output side every stage shares: acknowledged batch publishing and dead-letter record building. */
@Configuration(proxyBeanMethods = false)
class KafkaPlumbingConfiguration {

    @Bean
    BatchPublisher batchPublisher(KafkaTemplate<byte[], byte[]> template, KafkaPipelineProperties properties) {
        return new BatchPublisher(template, properties.sendTimeout());
    }

    @Bean
    DeadLetters deadLetters(TopicsProperties topics) {
        return new DeadLetters(topics);
    }
}
