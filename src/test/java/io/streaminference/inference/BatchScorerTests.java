package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Int64Value;
import io.grpc.Status;
import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.inference.InferenceProperties.TensorEncoding;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

class BatchScorerTests {

    private static final float POISON = -1f;

    /** Answers each row with its first feature and refuses a request holding a POISON row, as a model would. */
    private static final class FakeModel implements Predictor {
        final List<Integer> requestSizes = new ArrayList<>();

        @Override
        public CompletableFuture<PredictResponse> predict(PredictRequest request) {
            TensorProto input = request.getInputsOrThrow("features");
            int n = (int) input.getTensorShape().getDim(0).getSize();
            requestSizes.add(n);
            FloatBuffer values = input.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            TensorProto.Builder out = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(
                    TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(n)));
            for (int i = 0; i < n; i++) {
                float first = values.get(i * FeatureSchema.SIZE);
                if (first == POISON) {
                    return CompletableFuture.failedFuture(
                            Status.INVALID_ARGUMENT.withDescription("bad row").asRuntimeException());
                }
                out.addFloatVal(first);
            }
            return CompletableFuture.completedFuture(PredictResponse.newBuilder().putOutputs("scores", out.build())
                    .setModelSpec(ModelSpec.newBuilder().setVersion(Int64Value.of(5))).build());
        }
    }

    private final FakeModel model = new FakeModel();

    @Test
    void sendsOnePredictPerChunkAndMapsEveryRowBackInOrder() {
        RowResult[] results = scorer(model, 4, 2).score(Rows.of(10));
        assertThat(model.requestSizes).containsExactly(4, 4, 2);
        for (int i = 0; i < 10; i++) {
            RowResult.Scored scored = (RowResult.Scored) results[i];
            assertThat(scored.scores()).containsExactly((float) i);
            assertThat(scored.modelVersion()).isEqualTo(5L);
        }
    }

    @Test
    void keepsNoMoreThanMaxInFlightCallsOutstanding() {
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger maxOutstanding = new AtomicInteger();
        /** A call counts as outstanding from its start until the scorer waits for its answer. */
        final class Awaited extends CompletableFuture<PredictResponse> {
            @Override
            public PredictResponse get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException,
                    TimeoutException {
                outstanding.decrementAndGet();
                return super.get(timeout, unit);
            }
        }
        Predictor counting = request -> {
            maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            Awaited answer = new Awaited();
            answer.complete(model.predict(request).join());
            return answer;
        };
        RowResult[] results = scorer(counting, 2, 3).score(Rows.of(20));
        assertThat(model.requestSizes).hasSize(10);
        assertThat(maxOutstanding.get()).isEqualTo(3);
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(RowResult.Scored.class));
    }

    @Test
    void isolatesRefusedRowsByBisectingSoTheirNeighboursAreScored() {
        List<Features> rows = new ArrayList<>(Rows.of(16));
        rows.set(5, Rows.row(5, POISON));
        rows.set(12, Rows.row(12, POISON));
        RowResult[] results = scorer(model, 8, 2).score(rows);
        for (int i = 0; i < rows.size(); i++) {
            if (i == 5 || i == 12) {
                assertThat(results[i]).isInstanceOfSatisfying(RowResult.Invalid.class,
                        r -> assertThat(r.detail()).isEqualTo("bad row"));
            } else {
                assertThat(((RowResult.Scored) results[i]).scores()).containsExactly((float) i);
            }
        }
    }

    @Test
    void treatsEveryOtherFailureAsTransient() {
        Predictor down = request -> CompletableFuture.failedFuture(Status.UNAVAILABLE.asRuntimeException());
        assertThatThrownBy(() -> scorer(down, 4, 2).score(Rows.of(3)))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("UNAVAILABLE");
        Predictor missing = request -> CompletableFuture.failedFuture(Status.NOT_FOUND.asRuntimeException());
        assertThatThrownBy(() -> scorer(missing, 4, 2).score(Rows.of(3)))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("NOT_FOUND");
    }

    private static BatchScorer scorer(Predictor predictor, int maxBatch, int maxInFlight) {
        ModelSpec spec = ModelSpec.newBuilder().setName("m").build();
        return new BatchScorer(predictor,
                new PredictRequestFactory(spec, "features", "scores", TensorEncoding.TENSOR_CONTENT),
                new PredictResponseMapper("scores", 0), maxBatch, maxInFlight, 1_000);
    }
}
