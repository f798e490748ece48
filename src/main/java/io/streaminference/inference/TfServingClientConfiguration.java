package io.streaminference.inference;

import net.devh.boot.grpc.client.inject.GrpcClient;
import net.devh.boot.grpc.client.inject.GrpcClientBean;
import org.springframework.context.annotation.Configuration;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * The two TensorFlow Serving stubs, both on the one long-lived channel of gRPC client {@code tf-serving}
 * ({@code grpc.client.tf-serving.*}). The starter sets no deadline; every call site sets its own.
 */
@Configuration(proxyBeanMethods = false)
@GrpcClientBean(clazz = PredictionServiceGrpc.PredictionServiceStub.class, beanName = "predictionServiceStub",
        client = @GrpcClient("tf-serving"))
@GrpcClientBean(clazz = ModelServiceGrpc.ModelServiceBlockingStub.class, beanName = "modelServiceStub",
        client = @GrpcClient("tf-serving"))
class TfServingClientConfiguration {
}
