package io.streaminference.local;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import org.tensorflow.ndarray.Shape;

/** One loaded version of a SavedModel: checks requests against its signatures and runs them. */
final class ServedModel implements AutoCloseable {

    private final String name;
    private final long version;
    private final SavedModelBundle bundle;
    private final Map<String, Signature> signatures = new HashMap<>();

    ServedModel(String name, long version, Path directory) {
        this.name = name;
        this.version = version;
        this.bundle = SavedModelBundle.load(directory.toString(), SavedModelBundle.DEFAULT_TAG);
        for (Signature signature : bundle.signatures()) {
            signatures.put(signature.key(), signature);
        }
        warmUp();
    }

    /**
     * Runs every signature on zeros before the version is served, as TF Serving does with its warm-up records: the
     * first runs of a freshly loaded function take far longer than the next (graph optimisation, kernel choice), and
     * without this the first Predict calls of a fresh server missed a 200 ms deadline.
     */
    private void warmUp() {
        for (Signature signature : signatures.values()) {
            for (int rows : new int[] {1, 256}) {
                Map<String, TensorProto> inputs = new LinkedHashMap<>();
                for (String input : signature.inputNames()) {
                    TensorProto zeros = zeros(signature.getInputs().get(input), rows);
                    if (zeros == null) {
                        return;
                    }
                    inputs.put(input, zeros);
                }
                try {
                    for (int i = 0; i < 3; i++) {
                        predict(signature.key(), inputs, List.of());
                    }
                } catch (RuntimeException e) {
                    return; // a signature zeros do not fit: it is served cold
                }
            }
        }
    }

    /** Zeros of the input's dtype and shape, unknown dimensions set to {@code rows}; null for non-numeric inputs. */
    private static TensorProto zeros(Signature.TensorDescription description, int rows) {
        DataType dtype = TensorCodec.dtype(description.dataType);
        int size = switch (dtype) {
            case DT_FLOAT, DT_INT32 -> 4;
            case DT_DOUBLE, DT_INT64 -> 8;
            case DT_BOOL, DT_UINT8 -> 1;
            default -> -1;
        };
        if (size < 0 || description.shape.isUnknown()) {
            return null;
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        long elements = 1;
        for (int i = 0; i < description.shape.numDimensions(); i++) {
            long dim = description.shape.get(i) < 0 ? rows : description.shape.get(i);
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
            elements *= dim;
        }
        return TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape)
                .setTensorContent(ByteString.copyFrom(new byte[(int) (elements * size)])).build();
    }

    String name() {
        return name;
    }

    long version() {
        return version;
    }

    Map<String, TensorProto> predict(String signatureName, Map<String, TensorProto> inputs, List<String> outputFilter) {
        String key = signatureName.isEmpty() ? Signature.DEFAULT_KEY : signatureName;
        Signature signature = signatures.get(key);
        if (signature == null) {
            throw Status.FAILED_PRECONDITION.withDescription("Serving signature key \"" + key + "\" not found.")
                    .asRuntimeException();
        }
        for (String input : signature.inputNames()) {
            if (!inputs.containsKey(input)) {
                throw TensorCodec.invalid("input '" + input + "' missing; the signature expects " + signature.inputNames());
            }
        }
        for (String given : inputs.keySet()) {
            if (!signature.inputNames().contains(given)) {
                throw TensorCodec.invalid("input '" + given + "' is not in the signature " + signature.inputNames());
            }
        }
        for (String output : outputFilter) {
            if (!signature.outputNames().contains(output)) {
                throw TensorCodec.invalid("output_filter '" + output + "' is not in the signature "
                        + signature.outputNames());
            }
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TensorProto> input : inputs.entrySet()) {
                check(input.getKey(), input.getValue(), signature.getInputs().get(input.getKey()));
                feeds.put(input.getKey(), TensorCodec.toTensor(input.getValue()));
            }
            try (Result result = bundle.function(key).call(feeds)) {
                Map<String, TensorProto> outputs = new LinkedHashMap<>();
                for (String output : signature.outputNames()) {
                    if (outputFilter.isEmpty() || outputFilter.contains(output)) {
                        outputs.put(output, TensorCodec.toProto(result.get(output).orElseThrow()));
                    }
                }
                return outputs;
            }
        } catch (TensorFlowException e) {
            throw TensorCodec.invalid(e.getMessage());
        } finally {
            feeds.values().forEach(Tensor::close);
        }
    }

    /** TF Serving's rule: dtype must match exactly, and every known dimension of the signature must match. */
    private static void check(String input, TensorProto given, Signature.TensorDescription expected) {
        if (TensorCodec.dtype(expected.dataType) != given.getDtype()) {
            throw TensorCodec.invalid("input '" + input + "' is " + given.getDtype() + ", the signature expects "
                    + TensorCodec.dtype(expected.dataType));
        }
        Shape shape = TensorCodec.shape(given);
        Shape wanted = expected.shape;
        if (wanted.isUnknown()) {
            return;
        }
        boolean compatible = shape.numDimensions() == wanted.numDimensions();
        for (int i = 0; compatible && i < shape.numDimensions(); i++) {
            compatible = Shape.isCompatible(shape.get(i), wanted.get(i));
        }
        if (!compatible) {
            throw TensorCodec.invalid("input '" + input + "' has shape " + shape + ", the signature expects " + wanted);
        }
    }

    @Override
    public void close() {
        bundle.close();
    }
}
