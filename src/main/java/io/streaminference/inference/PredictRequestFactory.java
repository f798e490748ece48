package io.streaminference.inference;

import com.google.protobuf.UnsafeByteOperations;
import io.streaminference.inference.InferenceProperties.TensorEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;

/** Builds one {@code PredictRequest} for a chunk of rows: a DT_FLOAT tensor {@code [n, F]}, row i = rows.get(i). */
final class PredictRequestFactory {

    private final ModelSpec spec;
    private final String inputName;
    private final String outputName;
    private final TensorEncoding encoding;

    PredictRequestFactory(ModelSpec spec, String inputName, String outputName, TensorEncoding encoding) {
        this.spec = spec;
        this.inputName = inputName;
        this.outputName = outputName;
        this.encoding = encoding;
    }

    /** All rows must have the same, non-zero length (the stage checks this against its schema). */
    PredictRequest build(List<float[]> rows) {
        int n = rows.size();
        int width = rows.get(0).length;
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(n))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(width)));
        if (encoding == TensorEncoding.TENSOR_CONTENT) {
            // TensorFlow's tensor_content is little-endian, row-major.
            ByteBuffer content = ByteBuffer.allocate(n * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : rows) {
                for (float value : row) {
                    content.putFloat(value);
                }
            }
            tensor.setTensorContent(UnsafeByteOperations.unsafeWrap(content.array()));
        } else {
            // One value at a time: addAllFloatVal per row resizes the packed list to its exact new size on every
            // call, which made this path quadratic in the batch size (measured in docs/benchmarks.md).
            for (float[] row : rows) {
                for (float value : row) {
                    tensor.addFloatVal(value);
                }
            }
        }
        return PredictRequest.newBuilder()
                .setModelSpec(spec)
                .putInputs(inputName, tensor.build())
                .addOutputFilter(outputName)
                .build();
    }
}
