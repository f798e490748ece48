package io.streaminference.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.breaker.BreakerScheduler;
import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.breaker.ListenerControl;
import io.streaminference.breaker.TopicsProbe;
import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.delivery.Publisher;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.topics.TopicsProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The s1 → s2 stage: events scored by {@code pipeline.inference.models.events}. */
@ConditionalOnRole(Role.INFERENCE)
@Configuration(proxyBeanMethods = false)
class EventInferenceConfiguration {

    @Bean
    InferenceStages inferenceStages(InferenceProperties properties, TfServingStubs stubs, DeadLetters deadLetters,
            RecordTracing tracing, MeterRegistry registry) {
        return new InferenceStages(properties, stubs, deadLetters, tracing, registry);
    }

    @Bean
    InferenceStage<Features> eventInferenceStage(InferenceStages stages, InferenceProperties properties,
            TopicsProperties topics) {
        return stages.stage(EventInferenceListener.STAGE, properties.models().events(),
                new EventInput(topics.predictions()), FeatureSchema.SIZE, topics.shadowPredictions());
    }

    @Bean
    ModelStatusProbe eventModelStatus(InferenceStages stages, InferenceProperties properties) {
        return stages.probe(properties.models().events());
    }

    @Bean
    CircuitBreaker inferenceBreaker(@Qualifier("eventInferenceStage") InferenceStage<Features> stage,
            BreakerProperties properties, TopicsProbe topics, ListenerControl listeners, BreakerScheduler scheduler,
            MeterRegistry registry) {
        return InferenceStages.breaker(stage, properties, topics, listeners, scheduler, registry);
    }

    @Bean
    ModelChannelWarmup eventModelWarmup(@Qualifier("eventModelStatus") ModelStatusProbe probe,
            @Qualifier("eventInferenceStage") InferenceStage<Features> stage) {
        return InferenceStages.warmup(probe, stage);
    }

    @Bean
    EventInferenceListener eventInferenceListener(@Qualifier("eventInferenceStage") InferenceStage<Features> stage,
            Publisher publisher, @Qualifier("inferenceBreaker") CircuitBreaker breaker) {
        return new EventInferenceListener(InferenceStages.batches(stage, publisher, breaker));
    }
}
