package io.streaminference.inference;

import java.util.concurrent.CompletableFuture;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/** One Predict call; completes exceptionally with a gRPC {@code StatusRuntimeException} when the server refuses. */
@FunctionalInterface
interface Predictor {

    CompletableFuture<PredictResponse> predict(PredictRequest request);
}
