package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Int64Value;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streaminference.contract.FeatureSchema;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
    private final Counter bisections = new SimpleMeterRegistry().counter("bisections");

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
        List<float[]> rows = new ArrayList<>(Rows.of(16));
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
    void countsEverySplitOfARefusedChunk() {
        List<float[]> rows = new ArrayList<>(Rows.of(8));
        rows.set(3, Rows.row(3, POISON));
        scorer(model, 8, 2).score(rows);
        // 8 -> 4 -> 2 -> 1: three splits; the reference row is one more call, not a split.
        assertThat(bisections.count()).isEqualTo(3);
        assertThat(model.requestSizes).containsExactly(8, 1, 4, 4, 2, 2, 1, 1);
    }

    @Test
    void failsTheBatchWithoutDeadLetteringAnyRowWhenTheModelRefusesAKnownGoodRowToo() {
        Predictor wrongInputName = request -> CompletableFuture.failedFuture(Status.INVALID_ARGUMENT
                .withDescription("input 'features' missing; the signature expects [dense_input]").asRuntimeException());
        assertThatThrownBy(() -> scorer(wrongInputName, 4, 2).score(Rows.of(10)))
                .isInstanceOf(ModelRequestException.class).hasMessageContaining("input 'features' missing");
        assertThat(bisections.count()).isZero();
    }

    @Test
    void usesTheLastAcceptedRowAsTheReference() {
        BatchScorer scorer = scorer(model, 4, 2);
        scorer.score(Rows.of(3));
        // A model that refuses all zeros but accepts real rows: the reference is a row it accepted before.
        Predictor refusesZeros = request -> {
            PredictResponse answer = model.predict(request).join();
            float first = request.getInputsOrThrow("features").getTensorContent().asReadOnlyByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
            return first == 0f && request.getInputsOrThrow("features").getTensorShape().getDim(0).getSize() == 1
                    ? CompletableFuture.failedFuture(Status.INVALID_ARGUMENT.asRuntimeException())
                    : CompletableFuture.completedFuture(answer);
        };
        assertThat(scorer.acceptsReferenceRow()).isTrue();
        assertThat(scorer(refusesZeros, 4, 2).acceptsReferenceRow()).isFalse();
    }

    @Test
    void scoresEveryRowWhenTheModelOnlyLimitsTheBatchSize() {
        Predictor atMostThreeRows = request -> request.getInputsOrThrow("features").getTensorShape().getDim(0)
                .getSize() > 3 ? CompletableFuture.failedFuture(Status.INVALID_ARGUMENT
                        .withDescription("Task size 8 is larger than maximum batch size 3").asRuntimeException())
                : model.predict(request);
        RowResult[] results = scorer(atMostThreeRows, 8, 2).score(Rows.of(8));
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(RowResult.Scored.class));
    }

    @ParameterizedTest
    @CsvSource({"500, 256", "500, 1", "500, 500", "1, 256", "7, 3", "256, 256"})
    void neverCallsMoreOftenThanTheWorstCaseTheStartupCheckCounts(int n, int maxBatch) {
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Rows.row(i, POISON));
        }
        RowResult[] results = scorer(model, maxBatch, 2).score(rows);
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(RowResult.Invalid.class));
        assertThat((long) model.requestSizes.size()).isEqualTo(BatchScorer.worstCaseCalls(n, maxBatch));
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

    private BatchScorer scorer(Predictor predictor, int maxBatch, int maxInFlight) {
        ModelSpec spec = ModelSpec.newBuilder().setName("m").build();
        return new BatchScorer(predictor,
                new PredictRequestFactory(spec, "features", "scores", TensorEncoding.TENSOR_CONTENT),
                new PredictResponseMapper("scores", 0), FeatureSchema.SIZE, maxBatch, maxInFlight, 1_000, bisections);
    }
}
