package io.streaminference.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.breaker.BreakerScheduler;
import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.breaker.ListenerControl;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.topics.TopicsProperties;
import java.time.Clock;
import java.time.Duration;
import net.devh.boot.grpc.client.interceptor.GrpcGlobalClientInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the s1 → s2 stage from its plain parts and the shared Predict stub. */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    /** An observation per gRPC call: the grpc.client timer, and a span when tracing is on. */
    @GrpcGlobalClientInterceptor
    ObservationGrpcClientInterceptor grpcObservations(ObservationRegistry registry) {
        return new ObservationGrpcClientInterceptor(registry);
    }

    @Bean
    ModelStatusProbe modelStatusProbe(TfServingStubs stubs, InferenceProperties properties) {
        return new ModelStatusProbe(stubs.models(), properties.model());
    }

    /** Bounded like a breaker probe: a model server that is down delays startup by at most the probe's deadline. */
    @Bean
    ModelChannelWarmup modelChannelWarmup(ModelStatusProbe probe) {
        return new ModelChannelWarmup(probe, Duration.ofMillis(ModelStatusProbe.DEADLINE_MS));
    }

    /** Pauses the s1 listener while the model server keeps failing; resumes when GetModelStatus says AVAILABLE. */
    @Bean
    CircuitBreaker inferenceBreaker(BreakerProperties properties, ModelStatusProbe probe, ListenerControl listeners,
            BreakerScheduler scheduler, MeterRegistry registry) {
        return new CircuitBreaker(InferenceStage.STAGE, properties, probe::available,
                listeners.pause(InferenceStage.STAGE), listeners.resume(InferenceStage.STAGE), scheduler.executor(),
                registry);
    }

    @Bean
    InferenceStage inferenceStage(InferenceProperties properties, TopicsProperties topics, DeadLetters deadLetters,
            MeterRegistry registry, TfServingStubs stubs, RecordTracing tracing) {
        InferenceProperties.Model model = properties.model();
        BatchScorer scorer = new BatchScorer(
                new GrpcPredictor(stubs.predictions(), properties.deadline(), registry, model.name()),
                new PredictRequestFactory(ModelSpecs.of(model), model.inputName(), model.outputName(),
                        properties.tensorEncoding()),
                new PredictResponseMapper(model.outputName(), model.version() == null ? 0 : model.version()),
                properties.maxBatchSize(),
                properties.maxInFlight(),
                properties.deadline().toMillis());
        return new InferenceStage(scorer, new Labeler(properties.labels(), properties.threshold()), model.name(),
                topics.predictions(), deadLetters, new StageMetrics(registry, InferenceStage.STAGE), Clock.systemUTC(),
                tracing);
    }
}
