package io.streaminference.kafka;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Per-record trace propagation through Kafka headers, when a tracer exists ({@code management.tracing.enabled}). */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    @Bean
    RecordTracing recordTracing(ObservationRegistry registry, ObjectProvider<Tracer> tracer) {
        // Without a tracer the per-record observations would only feed timers: skip them on the hot path.
        return tracer.getIfAvailable() == null ? RecordTracing.OFF : new RecordTracing(registry);
    }
}
