package io.streaminference.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** The dashboard's live feed; the page itself is static ({@code static/index.html}). */
@ConditionalOnRole(Role.API)
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    LiveFeed liveFeed(MeterRegistry registry, KafkaListenerEndpointRegistry listeners,
            ObjectProvider<StreamsBuilderFactoryBean> streams, ObjectMapper json) {
        ConsumerProgress progress = new ConsumerProgress(listeners, () -> {
            StreamsBuilderFactoryBean factory = streams.getIfAvailable();
            return factory == null ? null : factory.getKafkaStreams();
        }, registry);
        return new LiveFeed(new MeterReader(registry), progress, json, Clock.systemUTC());
    }
}
