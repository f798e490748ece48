package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictResponse;

class PredictResponseMapperTests {

    private final PredictResponseMapper mapper = new PredictResponseMapper("scores", 0);

    @Test
    void mapsRowsBackByIndexAndReportsTheAnsweringVersion() {
        PredictResponse response = response(tensor(DataType.DT_FLOAT, new long[] {3, 2}, 1, 2, 3, 4, 5, 6), 9L);
        ModelOutput output = mapper.map(response, 3);
        assertThat(output.modelVersion()).isEqualTo(9L);
        assertThat(output.rows()).isDeepEqualTo(new float[][] {{1, 2}, {3, 4}, {5, 6}});
    }

    @Test
    void readsTensorContentAndOneDimensionalOutputs() {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(0.75f);
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(2))
                .setTensorContent(ByteString.copyFrom(bytes.array())).build();
        assertThat(mapper.map(response(tensor, 1L), 2).rows()).isDeepEqualTo(new float[][] {{0.25f}, {0.75f}});
    }

    @Test
    void fallsBackToTheConfiguredVersionWhenTheServerOmitsIt() {
        PredictResponse response = PredictResponse.newBuilder()
                .putOutputs("scores", tensor(DataType.DT_FLOAT, new long[] {1, 1}, 0.5f)).build();
        assertThat(new PredictResponseMapper("scores", 4).map(response, 1).modelVersion()).isEqualTo(4L);
    }

    @Test
    void rejectsMissingOutputWrongDtypeWrongShapeAndWrongValueCount() {
        assertThatThrownBy(() -> mapper.map(response(tensor(DataType.DT_FLOAT, new long[] {1, 1}, 1), 1L)
                .toBuilder().clearOutputs().putOutputs("other", TensorProto.getDefaultInstance()).build(), 1))
                .isInstanceOf(ModelOutputException.class).hasMessageContaining("'scores' missing");
        assertThatThrownBy(() -> mapper.map(response(tensor(DataType.DT_DOUBLE, new long[] {1, 1}, 1), 1L), 1))
                .isInstanceOf(ModelOutputException.class).hasMessageContaining("DT_DOUBLE");
        assertThatThrownBy(() -> mapper.map(response(tensor(DataType.DT_FLOAT, new long[] {2, 1}, 1, 2), 1L), 3))
                .isInstanceOf(ModelOutputException.class).hasMessageContaining("shape [2, 1]");
        assertThatThrownBy(() -> mapper.map(response(tensor(DataType.DT_FLOAT, new long[] {2, 1}, 1), 1L), 2))
                .isInstanceOf(ModelOutputException.class).hasMessageContaining("holds 1 values, expected 2");
    }

    private static PredictResponse response(TensorProto scores, long version) {
        return PredictResponse.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("m").setVersion(Int64Value.of(version)))
                .putOutputs("scores", scores).build();
    }

    private static TensorProto tensor(DataType dtype, long[] dims, float... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape(dims));
        for (float value : values) {
            tensor.addFloatVal(value);
        }
        return tensor.build();
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return shape.build();
    }
}
