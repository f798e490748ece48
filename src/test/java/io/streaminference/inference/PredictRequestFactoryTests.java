package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.inference.InferenceProperties.TensorEncoding;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;

class PredictRequestFactoryTests {

    private static final ModelSpec SPEC = ModelSpecs.of(new InferenceProperties.Model("m", "serving_default",
            "features", "scores", 3L, null, java.util.List.of("human", "bot"), 0.5));

    @Test
    void writesRowsAsLittleEndianRowMajorTensorContent() {
        PredictRequest request = factory(TensorEncoding.TENSOR_CONTENT).build(Rows.of(3));
        TensorProto tensor = request.getInputsOrThrow("features");
        assertThat(tensor.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(tensor.getTensorShape().getDimList()).extracting(d -> d.getSize())
                .containsExactly(3L, (long) FeatureSchema.SIZE);
        FloatBuffer values = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        assertThat(values.remaining()).isEqualTo(3 * FeatureSchema.SIZE);
        assertThat(values.get(0)).isEqualTo(0f);
        assertThat(values.get(FeatureSchema.SIZE)).isEqualTo(1f);
        assertThat(values.get(2 * FeatureSchema.SIZE + 5)).isEqualTo(2f);
        assertThat(tensor.getFloatValCount()).isZero();
    }

    @Test
    void writesTheSameValuesAsFloatVal() {
        TensorProto tensor = factory(TensorEncoding.FLOAT_VAL).build(Rows.of(2)).getInputsOrThrow("features");
        assertThat(tensor.getTensorContent().isEmpty()).isTrue();
        assertThat(tensor.getFloatValCount()).isEqualTo(2 * FeatureSchema.SIZE);
        assertThat(tensor.getFloatVal(FeatureSchema.SIZE + 1)).isEqualTo(1f);
    }

    @Test
    void asksForTheConfiguredModelSignatureVersionAndOutput() {
        PredictRequest request = factory(TensorEncoding.TENSOR_CONTENT).build(Rows.of(1));
        assertThat(request.getModelSpec().getName()).isEqualTo("m");
        assertThat(request.getModelSpec().getSignatureName()).isEqualTo("serving_default");
        assertThat(request.getModelSpec().getVersion().getValue()).isEqualTo(3L);
        assertThat(request.getOutputFilterList()).containsExactly("scores");
    }

    @Test
    void pinsAVersionLabelWhenConfiguredInsteadOfAVersion() {
        ModelSpec spec = ModelSpecs.of(new InferenceProperties.Model("m", "sig", "in", "out", null, "stable", java.util.List.of("human", "bot"), 0.5));
        assertThat(spec.getVersionLabel()).isEqualTo("stable");
        assertThat(spec.hasVersion()).isFalse();
        assertThat(ModelSpecs.of(new InferenceProperties.Model("m", "sig", "in", "out", null, null, java.util.List.of("human", "bot"), 0.5))
                .getVersionChoiceCase()).isEqualTo(ModelSpec.VersionChoiceCase.VERSIONCHOICE_NOT_SET);
    }

    private static PredictRequestFactory factory(TensorEncoding encoding) {
        return new PredictRequestFactory(SPEC, "features", "scores", encoding);
    }
}
