package io.streaminference.preprocess;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.topics.TopicsProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the s0 → s1 stage from its plain parts. */
@ConditionalOnRole(Role.PREPROCESS)
@Configuration(proxyBeanMethods = false)
class PreprocessConfiguration {

    /**
     * Keys and headers of s0 records get this much room besides the value when an accepted-size event has to become a
     * dead letter whole.
     */
    static final int KEY_AND_HEADERS_BYTES = 8 * 1024;

    @Bean
    PreprocessStage preprocessStage(PreprocessProperties properties, TopicsProperties topics, DeadLetters deadLetters,
            MeterRegistry registry, RecordTracing tracing) {
        if (properties.maxEventBytes() > deadLetters.wholeValueLimit(KEY_AND_HEADERS_BYTES)) {
            throw new IllegalStateException("pipeline.preprocess.max-event-bytes (" + properties.maxEventBytes()
                    + ") is more than a dead letter can carry whole (" + deadLetters.wholeValueLimit(KEY_AND_HEADERS_BYTES)
                    + " bytes with the producer's max.request.size): an event the stage accepts for parsing must fit "
                    + "into its dead letter; raise spring.kafka.producer.properties.max.request.size (and the broker's "
                    + "message.max.bytes) or lower pipeline.preprocess.max-event-bytes");
        }
        return new PreprocessStage(
                new EventParser(properties.maxEventBytes(), properties.maxNestingDepth()),
                new Preprocessor(),
                topics.features(),
                deadLetters,
                new StageMetrics(registry, PreprocessStage.STAGE),
                Clock.systemUTC(),
                tracing);
    }
}
