package io.streaminference.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.breaker.BreakerScheduler;
import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.breaker.ListenerControl;
import io.streaminference.breaker.TopicsProbe;
import io.streaminference.delivery.PublishException;
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

    /**
     * Bounded like a breaker probe: a model server that is down delays startup by at most the probe's deadline, one
     * that answers by one Predict's deadline more.
     */
    @Bean
    ModelChannelWarmup modelChannelWarmup(ModelStatusProbe probe, InferenceStage stage) {
        return new ModelChannelWarmup(probe, stage::modelAcceptsRequests, Duration.ofMillis(ModelStatusProbe.DEADLINE_MS));
    }

    /**
     * Pauses the s1 listener while batches keep failing, and probes what failed: for a publish, that its topics are
     * available again; for anything else, that the model scores a known-good row with the configured request (server
     * up, model loaded, label known, request accepted) — GetModelStatus alone would call a misconfigured request healthy.
     */
    @Bean
    CircuitBreaker inferenceBreaker(BreakerProperties properties, InferenceStage stage, TopicsProbe topics,
            ListenerControl listeners, BreakerScheduler scheduler, MeterRegistry registry) {
        return new CircuitBreaker(InferenceStage.STAGE, properties,
                failure -> failure instanceof PublishException publish ? () -> topics.available(publish.topics())
                        : stage::modelAcceptsRequests,
                listeners.pause(InferenceStage.STAGE), listeners.resume(InferenceStage.STAGE), scheduler, registry);
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
                properties.deadline().toMillis(),
                Counter.builder("pipeline.inference.bisections")
                        .description("Chunks the model refused that were split to find the refused rows")
                        .register(registry));
        return new InferenceStage(scorer, new Labeler(properties.labels(), properties.threshold()), model.name(),
                topics.predictions(), deadLetters, new StageMetrics(registry, InferenceStage.STAGE), Clock.systemUTC(),
                tracing);
    }
}
