package io.streaminference.inference;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;

/**
 * Health contributor {@code modelServer}: UP when {@code GetModelStatus} reports every configured model (events, and
 * sessions while that stage runs) with a version AVAILABLE. Registered behind a {@link
 * io.streaminference.health.CachedHealthIndicator} ({@link InferenceConfiguration}).
 */
class ModelServerHealthIndicator extends AbstractHealthIndicator {

    private final ObjectProvider<ModelStatusProbe> probes;

    ModelServerHealthIndicator(ObjectProvider<ModelStatusProbe> probes) {
        super("Model server health check failed");
        this.probes = probes;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean available = true;
        Map<String, Object> models = new TreeMap<>();
        for (ModelStatusProbe probe : probes.orderedStream().toList()) {
            Map<Long, ModelVersionStatus.State> versions = probe.versions();
            Map<String, String> states = new TreeMap<>();
            versions.forEach((version, state) -> states.put(Long.toString(version), state.name()));
            models.put(probe.modelName(), states);
            available &= versions.containsValue(ModelVersionStatus.State.AVAILABLE);
        }
        (available ? builder.up() : builder.down()).withDetail("models", models);
    }
}
