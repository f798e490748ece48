package io.streaminference.inference;

import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.springframework.stereotype.Component;
import tensorflow.serving.ModelServiceGrpc.ModelServiceBlockingStub;
import tensorflow.serving.PredictionServiceGrpc.PredictionServiceStub;

/**
 * The two TensorFlow Serving stubs, injected by the gRPC starter and both bound to the one long-lived channel of
 * client {@code tf-serving} ({@code grpc.client.tf-serving.*}). The starter sets no deadline; every call site sets
 * its own. A holder, so that the beans using the stubs can take them through their constructors.
 */
@ConditionalOnRole(Role.INFERENCE)
@Component
class TfServingStubs {

    @GrpcClient("tf-serving")
    private PredictionServiceStub predictions;

    @GrpcClient("tf-serving")
    private ModelServiceBlockingStub models;

    PredictionServiceStub predictions() {
        return predictions;
    }

    ModelServiceBlockingStub models() {
        return models;
    }
}
