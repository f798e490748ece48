package io.streaminference.preprocess;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.topics.TopicsProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the s0 → s1 stage from its plain parts. */
@Configuration(proxyBeanMethods = false)
class PreprocessConfiguration {

    @Bean
    PreprocessStage preprocessStage(PreprocessProperties properties, TopicsProperties topics, DeadLetters deadLetters,
            MeterRegistry registry, RecordTracing tracing) {
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
