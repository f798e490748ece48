package io.streaminference.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.breaker.BreakerScheduler;
import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.breaker.ListenerControl;
import io.streaminference.breaker.TopicsProbe;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionSchema;
import io.streaminference.delivery.Publisher;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.sessions.SessionsEnabled;
import io.streaminference.topics.TopicsProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The s1-sessions → s2-sessions stage: sessions scored by {@code pipeline.inference.models.sessions}, with the same
 * batching, deadlines, bisection, breaker and exactly-once as events. Off with the session stage.
 */
@ConditionalOnRole(Role.INFERENCE)
@Configuration(proxyBeanMethods = false)
@Conditional(SessionsEnabled.class)
class SessionInferenceConfiguration {

    @Bean
    InferenceStage<SessionFeatures> sessionInferenceStage(InferenceStages stages, InferenceProperties properties,
            TopicsProperties topics) {
        return stages.stage(SessionInferenceListener.STAGE, properties.models().sessions(),
                new SessionInput(topics.sessionPredictions()), SessionSchema.SIZE, null);
    }

    @Bean
    ModelStatusProbe sessionModelStatus(InferenceStages stages, InferenceProperties properties) {
        return stages.probe(properties.models().sessions());
    }

    @Bean
    CircuitBreaker sessionInferenceBreaker(
            @Qualifier("sessionInferenceStage") InferenceStage<SessionFeatures> stage, BreakerProperties properties,
            TopicsProbe topics, ListenerControl listeners, BreakerScheduler scheduler, MeterRegistry registry) {
        return InferenceStages.breaker(stage, properties, topics, listeners, scheduler, registry);
    }

    @Bean
    ModelChannelWarmup sessionModelWarmup(@Qualifier("sessionModelStatus") ModelStatusProbe probe,
            @Qualifier("sessionInferenceStage") InferenceStage<SessionFeatures> stage) {
        return InferenceStages.warmup(probe, stage);
    }

    @Bean
    SessionInferenceListener sessionInferenceListener(
            @Qualifier("sessionInferenceStage") InferenceStage<SessionFeatures> stage, Publisher publisher,
            @Qualifier("sessionInferenceBreaker") CircuitBreaker breaker) {
        return new SessionInferenceListener(InferenceStages.batches(stage, publisher, breaker));
    }
}
