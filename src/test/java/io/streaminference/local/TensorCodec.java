package io.streaminference.local;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Tensor;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Converts between TF Serving's {@code TensorProto} and TensorFlow Java tensors the way TF Serving does: inputs as
 * {@code tensor_content} or typed values, numeric outputs as {@code tensor_content}, strings as {@code string_val}.
 * Anything it cannot convert is an INVALID_ARGUMENT for the caller.
 */
final class TensorCodec {

    /** Fixed-width numeric types: proto dtype → TF Java type and element size. */
    private static final Map<DataType, Numeric> NUMERIC = Map.of(
            DataType.DT_FLOAT, new Numeric(TFloat32.class, 4),
            DataType.DT_DOUBLE, new Numeric(TFloat64.class, 8),
            DataType.DT_INT32, new Numeric(TInt32.class, 4),
            DataType.DT_INT64, new Numeric(TInt64.class, 8),
            DataType.DT_BOOL, new Numeric(TBool.class, 1),
            DataType.DT_UINT8, new Numeric(TUint8.class, 1));

    private record Numeric(Class<? extends TType> type, int size) {
    }

    private TensorCodec() {
    }

    static Shape shape(TensorProto proto) {
        TensorShapeProto shape = proto.getTensorShape();
        long[] dims = new long[shape.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.getDim(i).getSize();
            if (dims[i] < 0) {
                throw invalid("input shape has a negative dimension");
            }
        }
        return Shape.of(dims);
    }

    static Tensor toTensor(TensorProto proto) {
        Shape shape = shape(proto);
        long count = shape.size();
        if (proto.getDtype() == DataType.DT_STRING) {
            if (proto.getStringValCount() != count) {
                throw invalid("string_val holds " + proto.getStringValCount() + " values for shape " + shape);
            }
            byte[][] values = new byte[(int) count][];
            for (int i = 0; i < count; i++) {
                values[i] = proto.getStringVal(i).toByteArray();
            }
            return TString.tensorOfBytes(shape, DataBuffers.ofObjects(values));
        }
        Numeric numeric = NUMERIC.get(proto.getDtype());
        if (numeric == null) {
            throw invalid("dtype " + proto.getDtype() + " is not supported");
        }
        byte[] raw = proto.getTensorContent().isEmpty() ? fromTypedValues(proto, count, numeric.size())
                : proto.getTensorContent().toByteArray();
        if (raw.length != count * numeric.size()) {
            throw invalid("tensor holds " + raw.length / numeric.size() + " values for shape " + shape);
        }
        return Tensor.of(numeric.type(), shape, DataBuffers.of(raw, true, false));
    }

    private static byte[] fromTypedValues(TensorProto proto, long count, int size) {
        ByteBuffer raw = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, count * size)).order(ByteOrder.LITTLE_ENDIAN);
        int given = switch (proto.getDtype()) {
            case DT_FLOAT -> proto.getFloatValCount();
            case DT_DOUBLE -> proto.getDoubleValCount();
            case DT_INT32, DT_UINT8 -> proto.getIntValCount();
            case DT_INT64 -> proto.getInt64ValCount();
            case DT_BOOL -> proto.getBoolValCount();
            default -> 0;
        };
        if (given != count) {
            throw invalid("typed values hold " + given + " values, shape needs " + count);
        }
        for (int i = 0; i < count; i++) {
            switch (proto.getDtype()) {
                case DT_FLOAT -> raw.putFloat(proto.getFloatVal(i));
                case DT_DOUBLE -> raw.putDouble(proto.getDoubleVal(i));
                case DT_INT32 -> raw.putInt(proto.getIntVal(i));
                case DT_UINT8 -> raw.put((byte) proto.getIntVal(i));
                case DT_INT64 -> raw.putLong(proto.getInt64Val(i));
                case DT_BOOL -> raw.put((byte) (proto.getBoolVal(i) ? 1 : 0));
                default -> throw invalid("dtype " + proto.getDtype() + " is not supported");
            }
        }
        return raw.array();
    }

    static TensorProto toProto(Tensor tensor) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : tensor.shape().asArray()) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        DataType dtype = DataType.forNumber(tensor.dataType().getNumber());
        TensorProto.Builder proto = TensorProto.newBuilder().setDtype(dtype == null ? DataType.DT_INVALID : dtype)
                .setTensorShape(shape);
        if (tensor instanceof TString strings) {
            List<ByteString> values = new ArrayList<>();
            strings.asBytes().scalars().forEach(s -> values.add(ByteString.copyFrom(s.getObject())));
            return proto.addAllStringVal(values).build();
        }
        byte[] raw = new byte[(int) tensor.numBytes()];
        tensor.asRawTensor().data().read(raw);
        return proto.setTensorContent(ByteString.copyFrom(raw)).build();
    }

    static DataType dtype(org.tensorflow.proto.DataType tfType) {
        DataType dtype = DataType.forNumber(tfType.getNumber());
        return dtype == null ? DataType.DT_INVALID : dtype;
    }

    static io.grpc.StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
