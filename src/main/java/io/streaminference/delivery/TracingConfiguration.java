package io.streaminference.delivery;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Per-record trace propagation through Kafka headers, when {@code management.tracing.enabled} is true. */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    /**
     * Decided by the property, not by whether a tracer bean exists: Spring Boot still creates the OpenTelemetry tracer
     * (and samples every span) with tracing disabled, and per-record observations would then be a large share of the
     * app's CPU for nothing (profile in docs/benchmarks.md).
     */
    @Bean
    RecordTracing recordTracing(ObservationRegistry registry,
            @Value("${management.tracing.enabled:false}") boolean tracingEnabled) {
        return tracingEnabled ? new RecordTracing(registry) : RecordTracing.OFF;
    }
}
