package io.streaminference.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** The output side every stage shares: publishing a batch's records and awaiting the broker's acknowledgements. */
@Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

    @Bean
    Publisher publisher(KafkaTemplate<byte[], byte[]> template, DeliveryProperties properties, MeterRegistry registry) {
        return new Publisher(template, properties.sendTimeout(), registry);
    }

    @Bean
    StoreStageCommitter storeStageCommitter(KafkaTemplate<byte[], byte[]> template, Publisher publisher) {
        return new StoreStageCommitter(template, publisher);
    }
}
