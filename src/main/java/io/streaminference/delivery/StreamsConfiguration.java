package io.streaminference.delivery;

import io.micrometer.core.instrument.config.MeterFilter;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * How the app's Kafka Streams instance (the session and evaluation stages, whichever are on) behaves; harmless when
 * neither is on.
 */
@Configuration(proxyBeanMethods = false)
class StreamsConfiguration {

    /**
     * A failed stream thread is replaced rather than left dead: with exactly-once its transaction was aborted, and the
     * replacement resumes from the last commit. Kafka Streams' metrics go to Micrometer (Spring Boot's listener).
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer streamsBehaviour() {
        return factory -> factory.setStreamsUncaughtExceptionHandler(
                exception -> StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    /**
     * Kafka Streams tags a session store's metrics {@code rocksdb.session.state.id}, a window store's
     * {@code rocksdb.window.state.id} and a key-value store's {@code rocksdb.state.id}; Prometheus needs one set of tag
     * keys per meter name and would drop the others' meters (with a warning at every start). One key for all keeps
     * every store's metrics.
     */
    @Bean
    MeterFilter storeMetricTags() {
        return MeterFilter.renameTag("kafka.stream.state", "rocksdb.session.state.id", "rocksdb.state.id");
    }

    @Bean
    MeterFilter windowStoreMetricTags() {
        return MeterFilter.renameTag("kafka.stream.state", "rocksdb.window.state.id", "rocksdb.state.id");
    }
}
