package io.streaminference.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.breaker.BreakerScheduler;
import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.breaker.ListenerControl;
import io.streaminference.breaker.TopicsProbe;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.delivery.BatchReporting;
import io.streaminference.delivery.PublishException;
import io.streaminference.delivery.Publisher;
import io.streaminference.delivery.PublishingBatches;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds an inference stage's parts from its model's settings — the same way for events and sessions: its scorer,
 * stage, breaker and start-up warm-up.
 */
final class InferenceStages {

    private final InferenceProperties properties;
    private final TfServingStubs stubs;
    private final DeadLetters deadLetters;
    private final RecordTracing tracing;
    private final MeterRegistry registry;

    InferenceStages(InferenceProperties properties, TfServingStubs stubs, DeadLetters deadLetters,
            RecordTracing tracing, MeterRegistry registry) {
        this.properties = properties;
        this.stubs = stubs;
        this.deadLetters = deadLetters;
        this.tracing = tracing;
        this.registry = registry;
    }

    /** @param shadowTopic where the shadow's predictions go, if the model has a shadow label */
    <I> InferenceStage<I> stage(String name, InferenceProperties.Model model, ScoredInput<I> input, int width,
            String shadowTopic) {
        BatchScorer scorer = scorer(name, model, ModelSpecs.of(model), width);
        BatchScorer canary = model.hasCanary() ? scorer(name, model, ModelSpecs.canary(model), width) : null;
        InferenceStage.Shadow shadow = null;
        if (model.hasShadow()) {
            Counter failed = Counter.builder("pipeline.inference.shadow.failures").tag("stage", name)
                    .description("Batches the shadow version could not score (their shadow predictions are missing; "
                            + "the served ones are not affected)").register(registry);
            shadow = new InferenceStage.Shadow(scorer(name, model, ModelSpecs.shadow(model), width), shadowTopic,
                    failed::increment);
        }
        return new InferenceStage<>(name, input, scorer, canary,
                new CanaryRouter(model.hasCanary() ? model.canary().share() : 0), shadow,
                new Labeler(model.labels(), model.threshold()), model.name(), deadLetters,
                new StageMetrics(registry, name), new PredictionMetrics(registry, name, model.name()),
                Clock.systemUTC(), tracing);
    }

    private BatchScorer scorer(String name, InferenceProperties.Model model, tensorflow.serving.Model.ModelSpec spec,
            int width) {
        return new BatchScorer(
                new GrpcPredictor(stubs.predictions(), properties.deadline(), registry, model.name()),
                new PredictRequestFactory(spec, model.inputName(), model.outputName(),
                        properties.tensorEncoding()),
                new PredictResponseMapper(model.outputName(), model.version() == null ? 0 : model.version()),
                width,
                properties.maxBatchSize(),
                properties.maxInFlight(),
                properties.deadline().toMillis(),
                Counter.builder("pipeline.inference.bisections").tag("stage", name)
                        .description("Chunks the model refused that were split to find the refused rows")
                        .register(registry));
    }

    /**
     * A stage's batches: predictions and dead letters published in the batch's transaction; the breaker hears of a
     * success only once the batch has committed.
     */
    static PublishingBatches batches(InferenceStage<?> stage, Publisher publisher, CircuitBreaker breaker) {
        return new PublishingBatches(stage::process, publisher,
                new BatchReporting(stage.metrics(), breaker::succeeded, breaker::failed));
    }

    ModelStatusProbe probe(InferenceProperties.Model model) {
        return new ModelStatusProbe(stubs.models(), model);
    }

    /**
     * Pauses the stage's listener while batches keep failing, and probes what failed: for a publish, that its topics
     * are available again; for anything else, that the model scores a known-good row with the configured request
     * (server up, model loaded, label known, request accepted) — GetModelStatus alone would call a misconfigured
     * request healthy.
     */
    static CircuitBreaker breaker(InferenceStage<?> stage, BreakerProperties properties, TopicsProbe topics,
            ListenerControl listeners, BreakerScheduler scheduler, MeterRegistry registry) {
        return new CircuitBreaker(stage.name(), properties,
                failure -> failure instanceof PublishException publish ? () -> topics.available(publish.topics())
                        : stage::modelAcceptsRequests,
                listeners.pause(stage.name()), listeners.resume(stage.name()), scheduler, registry);
    }

    /**
     * Bounded like a breaker probe: a model server that is down delays startup by at most the probe's deadline, one
     * that answers by one Predict's deadline more.
     */
    static ModelChannelWarmup warmup(ModelStatusProbe probe, InferenceStage<?> stage) {
        return new ModelChannelWarmup(probe, stage::modelAcceptsRequests, Duration.ofMillis(ModelStatusProbe.DEADLINE_MS));
    }
}
