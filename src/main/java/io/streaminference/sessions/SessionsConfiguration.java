package io.streaminference.sessions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.topics.TopicsProperties;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/**
 * The session stage: the {@link SessionTopology} on the Kafka Streams instance Spring Kafka runs from
 * {@code spring.kafka.streams.*}. Off with {@code pipeline.sessions.enabled=false}.
 */
@ConditionalOnRole(Role.SESSIONS)
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
}
