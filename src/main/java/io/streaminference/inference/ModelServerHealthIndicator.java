package io.streaminference.inference;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.ModelServiceGrpc.ModelServiceBlockingStub;

/** Health contributor {@code modelServer}: UP when {@code GetModelStatus} reports the configured model AVAILABLE. */
@Component("modelServer")
class ModelServerHealthIndicator extends AbstractHealthIndicator {

    private static final long DEADLINE_MS = 2_000;

    private final ModelServiceBlockingStub stub;
    private final InferenceProperties.Model model;

    ModelServerHealthIndicator(TfServingStubs stubs, InferenceProperties properties) {
        super("Model server health check failed");
        this.stub = stubs.models();
        this.model = properties.model();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        GetModelStatusResponse response = stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                .getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(ModelSpecs.of(model)).build());
        Map<String, String> versions = new TreeMap<>();
        boolean available = false;
        for (ModelVersionStatus status : response.getModelVersionStatusList()) {
            versions.put(Long.toString(status.getVersion()), status.getState().name());
            available |= status.getState() == ModelVersionStatus.State.AVAILABLE;
        }
        (available ? builder.up() : builder.down()).withDetail("model", model.name()).withDetail("versions", versions);
    }
}
