package io.streaminference.local;

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
import org.tensorflow.framework.TensorProto;
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
