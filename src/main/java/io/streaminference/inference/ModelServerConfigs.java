package io.streaminference.inference;

import com.google.protobuf.TextFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;

/**
 * TF Serving's {@code ModelServerConfig} in its text format — the format of {@code --model_config_file} — as the
 * operator endpoint and the reload command read it: parsed, refused when it lists no model, summarised per model.
 */
final class ModelServerConfigs {

    private ModelServerConfigs() {
    }

    /** @throws IllegalArgumentException naming what is wrong with the text */
    static ModelServerConfig parse(String text) {
        ModelServerConfig config;
        try {
            config = TextFormat.parse(text, ModelServerConfig.class);
        } catch (TextFormat.ParseException e) {
            throw new IllegalArgumentException("config is not a ModelServerConfig in text format: " + e.getMessage());
        }
        if (config.getModelConfigList().getConfigCount() == 0) {
            throw new IllegalArgumentException("config lists no model (model_config_list { config { … } })");
        }
        return config;
    }

    /** Per model, its version policy and labels, as the model server accepted them. */
    static Map<String, Object> summary(ModelServerConfig config) {
        Map<String, Object> models = new LinkedHashMap<>();
        for (ModelConfig model : config.getModelConfigList().getConfigList()) {
            models.put(model.getName(), Map.of("version_policy", TextFormat.shortDebugString(
                    model.getModelVersionPolicy()), "version_labels", model.getVersionLabelsMap()));
        }
        return models;
    }
}
