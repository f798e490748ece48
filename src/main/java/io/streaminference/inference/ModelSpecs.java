package io.streaminference.inference;

import com.google.protobuf.Int64Value;
import tensorflow.serving.Model.ModelSpec;

/** The {@code ModelSpec} the pipeline asks for, from configuration. */
final class ModelSpecs {

    private ModelSpecs() {
    }

    static ModelSpec of(InferenceProperties.Model model) {
        ModelSpec.Builder spec = ModelSpec.newBuilder()
                .setName(model.name())
                .setSignatureName(model.signatureName());
        if (model.version() != null) {
            spec.setVersion(Int64Value.of(model.version()));
        } else if (model.hasVersionLabel()) {
            spec.setVersionLabel(model.versionLabel());
        }
        return spec.build();
    }

    /** The same request, for the version the model's shadow label points at. */
    static ModelSpec shadow(InferenceProperties.Model model) {
        return ModelSpec.newBuilder().setName(model.name()).setSignatureName(model.signatureName())
                .setVersionLabel(model.shadowLabel()).build();
    }

    /** The same request, for the version the model's canary label points at. */
    static ModelSpec canary(InferenceProperties.Model model) {
        return ModelSpec.newBuilder().setName(model.name()).setSignatureName(model.signatureName())
                .setVersionLabel(model.canary().label()).build();
    }
}
