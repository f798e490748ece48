package io.streaminference.inference;

import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;
import io.streaminference.health.CachedHealthIndicator;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import net.devh.boot.grpc.client.interceptor.GrpcGlobalClientInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What both inference stages share: the gRPC channel's observations (the stubs are {@link TfServingStubs}) and the
 * model server's health, asked at most once per {@link CachedHealthIndicator#TTL}.
 */
@ConditionalOnRole(Role.INFERENCE)
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    /** An observation per gRPC call: the grpc.client timer, and a span when tracing is on. */
    @GrpcGlobalClientInterceptor
    ObservationGrpcClientInterceptor grpcObservations(ObservationRegistry registry) {
        return new ObservationGrpcClientInterceptor(registry);
    }

    @Bean("modelServer")
    HealthIndicator modelServerHealth(ObjectProvider<ModelStatusProbe> probes) {
        return new CachedHealthIndicator(new ModelServerHealthIndicator(probes));
    }
}
