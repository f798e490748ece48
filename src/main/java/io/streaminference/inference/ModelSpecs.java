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
}
