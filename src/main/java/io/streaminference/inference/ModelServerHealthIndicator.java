package io.streaminference.inference;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;

/** Health contributor {@code modelServer}: UP when {@code GetModelStatus} reports the configured model AVAILABLE. */
@Component("modelServer")
class ModelServerHealthIndicator extends AbstractHealthIndicator {

    private final ModelStatusProbe probe;

    ModelServerHealthIndicator(ModelStatusProbe probe) {
        super("Model server health check failed");
        this.probe = probe;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<Long, ModelVersionStatus.State> versions = probe.versions();
        Map<String, String> details = new TreeMap<>();
        versions.forEach((version, state) -> details.put(Long.toString(version), state.name()));
        boolean available = versions.containsValue(ModelVersionStatus.State.AVAILABLE);
        (available ? builder.up() : builder.down()).withDetail("model", probe.modelName()).withDetail("versions", details);
    }
}
