package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

class TensorCodecTests {

    @Test
    void readsInt64FromTypedValuesAndTensorContentAlike() {
        TensorProto typed = TensorProto.newBuilder().setDtype(DataType.DT_INT64).setTensorShape(shape(2, 2))
                .addInt64Val(1).addInt64Val(-2).addInt64Val(3_000_000_000L).addInt64Val(4).build();
        ByteBuffer raw = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(-2)
                .putLong(3_000_000_000L).putLong(4);
        TensorProto content = typed.toBuilder().clearInt64Val().setTensorContent(ByteString.copyFrom(raw.array()))
                .build();
        try (Tensor a = TensorCodec.toTensor(typed); Tensor b = TensorCodec.toTensor(content)) {
            assertThat(((TInt64) a).getLong(1, 0)).isEqualTo(3_000_000_000L);
            assertThat(TensorCodec.toProto(a)).isEqualTo(TensorCodec.toProto(b));
        }
    }

    @Test
    void roundTripsStringsAsStringVal() {
        TensorProto strings = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape(2))
                .addStringVal(ByteString.copyFromUtf8("héllo")).addStringVal(ByteString.copyFrom(new byte[] {0, -1}))
                .build();
        try (Tensor tensor = TensorCodec.toTensor(strings)) {
            assertThat(tensor).isInstanceOf(TString.class);
            assertThat(TensorCodec.toProto(tensor)).isEqualTo(strings);
        }
    }

    @Test
    void refusesValueCountsThatDisagreeWithTheShapeAndUnsupportedTypes() {
        TensorProto short_ = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(2, 3))
                .addFloatVal(1).build();
        assertThatThrownBy(() -> TensorCodec.toTensor(short_)).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("INVALID_ARGUMENT");
        TensorProto complex = TensorProto.newBuilder().setDtype(DataType.DT_COMPLEX64).setTensorShape(shape(1)).build();
        assertThatThrownBy(() -> TensorCodec.toTensor(complex)).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("not supported");
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return shape.build();
    }
}
