package io.streaminference.inference;

import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;
import net.devh.boot.grpc.client.interceptor.GrpcGlobalClientInterceptor;
import org.springframework.context.annotation.Configuration;

/** What both inference stages share: the gRPC channel's observations (the stubs are {@link TfServingStubs}). */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    /** An observation per gRPC call: the grpc.client timer, and a span when tracing is on. */
    @GrpcGlobalClientInterceptor
    ObservationGrpcClientInterceptor grpcObservations(ObservationRegistry registry) {
        return new ObservationGrpcClientInterceptor(registry);
    }
}
