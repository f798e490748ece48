package io.streaminference.inference;

import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc.PredictionServiceStub;

/**
 * Calls {@code PredictionService.Predict} asynchronously on the shared channel, each call with its own deadline,
 * and times it as {@code pipeline.predict.latency} by model version and outcome.
 */
final class GrpcPredictor implements Predictor {

    private final PredictionServiceStub stub;
    private final long deadlineMillis;
    private final MeterRegistry registry;
    private final String modelName;

    GrpcPredictor(PredictionServiceStub stub, Duration deadline, MeterRegistry registry, String modelName) {
        this.stub = stub;
        this.deadlineMillis = deadline.toMillis();
        this.registry = registry;
        this.modelName = modelName;
    }

    @Override
    public CompletableFuture<PredictResponse> predict(PredictRequest request) {
        CompletableFuture<PredictResponse> result = new CompletableFuture<>();
        long start = System.nanoTime();
        stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).predict(request, new StreamObserver<>() {
            @Override
            public void onNext(PredictResponse response) {
                String version = response.getModelSpec().hasVersion()
                        ? Long.toString(response.getModelSpec().getVersion().getValue()) : "unknown";
                record(start, version, "OK");
                result.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                record(start, "unknown", io.grpc.Status.fromThrowable(error).getCode().name());
                result.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {
                // Unary: onNext has completed the future already, unless the server sent no message at all.
                result.completeExceptionally(new IllegalStateException("Predict completed without a response"));
            }
        });
        return result;
    }

    private void record(long startNanos, String version, String outcome) {
        Timer.builder("pipeline.predict.latency")
                .description("Predict call latency")
                .tag("model", modelName).tag("model_version", version).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
