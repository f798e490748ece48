package io.streaminference.preprocess;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.breaker.BreakerScheduler;
import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.breaker.ListenerControl;
import io.streaminference.breaker.TopicsProbe;
import io.streaminference.delivery.PublishException;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The s0 stage's circuit breaker. */
@ConditionalOnRole(Role.PREPROCESS)
@Configuration(proxyBeanMethods = false)
class PreprocessBreakerConfiguration {

    /**
     * Pauses the s0 listener while its batches keep failing — publishing them is all that can fail — and resumes when
     * the topics the failed output was for are available again.
     */
    @Bean
    CircuitBreaker preprocessBreaker(BreakerProperties properties, TopicsProbe topics, ListenerControl listeners,
            BreakerScheduler scheduler, MeterRegistry registry) {
        return new CircuitBreaker(PreprocessStage.STAGE, properties,
                failure -> failure instanceof PublishException publish ? () -> topics.available(publish.topics())
                        : () -> true,
                listeners.pause(PreprocessStage.STAGE), listeners.resume(PreprocessStage.STAGE), scheduler, registry);
    }
}
