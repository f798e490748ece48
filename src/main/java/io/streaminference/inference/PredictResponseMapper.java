package io.streaminference.inference;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Predict.PredictResponse;

/**
 * Maps a {@code PredictResponse} back to rows: checks that the configured output is present, DT_FLOAT, shaped
 * {@code [n]} or {@code [n, k]} for the n rows sent, and holds n × k values (as tensor_content or float_val).
 */
final class PredictResponseMapper {

    private final String outputName;
    private final long fallbackVersion;

    /** @param fallbackVersion version to report when a server leaves model_spec.version empty (0 when unpinned) */
    PredictResponseMapper(String outputName, long fallbackVersion) {
        this.outputName = outputName;
        this.fallbackVersion = fallbackVersion;
    }

    ModelOutput map(PredictResponse response, int n) {
        TensorProto tensor = response.getOutputsMap().get(outputName);
        if (tensor == null) {
            throw new ModelOutputException("output '" + outputName + "' missing from PredictResponse; it has "
                    + response.getOutputsMap().keySet());
        }
        if (tensor.getDtype() != DataType.DT_FLOAT) {
            throw new ModelOutputException("output '" + outputName + "' is " + tensor.getDtype() + ", expected DT_FLOAT");
        }
        int k = columns(tensor.getTensorShape(), n);
        float[] flat = values(tensor, n * k);
        float[][] rows = new float[n][k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * k, rows[i], 0, k);
        }
        long version = response.hasModelSpec() && response.getModelSpec().hasVersion()
                ? response.getModelSpec().getVersion().getValue() : fallbackVersion;
        return new ModelOutput(version, rows);
    }

    private int columns(TensorShapeProto shape, int n) {
        int dims = shape.getDimCount();
        boolean rowsMatch = dims >= 1 && shape.getDim(0).getSize() == n;
        if (rowsMatch && dims == 1) {
            return 1;
        }
        if (rowsMatch && dims == 2 && shape.getDim(1).getSize() >= 1 && shape.getDim(1).getSize() <= 1 << 16) {
            return (int) shape.getDim(1).getSize();
        }
        throw new ModelOutputException("output '" + outputName + "' has shape " + describe(shape) + ", expected ["
                + n + "] or [" + n + ", k]");
    }

    private float[] values(TensorProto tensor, int expected) {
        float[] values;
        if (!tensor.getTensorContent().isEmpty()) {
            if (tensor.getTensorContent().size() % Float.BYTES != 0) {
                throw new ModelOutputException("output '" + outputName + "' tensor_content is not a whole number of floats");
            }
            FloatBuffer content = tensor.getTensorContent().asReadOnlyByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            values = new float[content.remaining()];
            content.get(values);
        } else {
            values = new float[tensor.getFloatValCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatVal(i);
            }
        }
        if (values.length != expected) {
            throw new ModelOutputException("output '" + outputName + "' holds " + values.length + " values, expected "
                    + expected);
        }
        return values;
    }

    private static String describe(TensorShapeProto shape) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shape.getDimCount(); i++) {
            text.append(i == 0 ? "" : ", ").append(shape.getDim(i).getSize());
        }
        return text.append(']').toString();
    }
}
