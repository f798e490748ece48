package io.streaminference.sessions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.streaminference.topics.TopicsProperties;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * The session stage: the {@link SessionTopology} on the Kafka Streams instance Spring Kafka runs from
 * {@code spring.kafka.streams.*}. Off with {@code pipeline.sessions.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SessionsEnabled.class)
@EnableKafkaStreams
class SessionsConfiguration {

    static final String STAGE = "sessions";

    @Bean
    SessionTopology.Settings sessionSettings(SessionsProperties sessions, TopicsProperties topics) {
        return new SessionTopology.Settings(topics.features(), topics.sessions(), sessions.inactivityGap(),
                sessions.grace(), sessions.emitEvery());
    }

    /** A bean so that Spring builds it into the StreamsBuilder before the Kafka Streams instance starts. */
    @Bean
    Object sessionTopology(StreamsBuilder builder, SessionTopology.Settings settings, MeterRegistry registry) {
        Counter consumed = Counter.builder("pipeline.records.in").tag("stage", STAGE)
                .description("Records consumed by the stage").register(registry);
        Counter late = Counter.builder("pipeline.sessions.late.events")
                .description("Events too late to join their session (left out of sessions; their own prediction stands)")
                .register(registry);
        Map<String, Counter> skipped = new ConcurrentHashMap<>();
        SessionTopology.build(builder, settings, Clock.systemUTC(), reason -> skipped.computeIfAbsent(reason,
                r -> Counter.builder("pipeline.sessions.skipped").tag("reason", r)
                        .description("s1 records the session stage cannot use (the inference stage dead-letters them)")
                        .register(registry)).increment(), consumed::increment, late::increment);
        return settings;
    }

    /**
     * Kafka Streams tags a session store's metrics {@code rocksdb.session.state.id} and a key-value store's
     * {@code rocksdb.state.id}; Prometheus needs one set of tag keys per meter name and would drop the second store's
     * meters (with a warning at every start). One key for both keeps both stores' metrics.
     */
    @Bean
    MeterFilter sessionStoreMetricTags() {
        return MeterFilter.renameTag("kafka.stream.state", "rocksdb.session.state.id", "rocksdb.state.id");
    }

    /**
     * A failed stream thread is replaced rather than left dead: with exactly-once its transaction was aborted, and the
     * replacement resumes from the last commit. Kafka Streams' metrics go to Micrometer (Spring Boot's listener).
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer sessionStreamsBehaviour() {
        return factory -> factory.setStreamsUncaughtExceptionHandler(
                exception -> StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
