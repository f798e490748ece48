package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.streaminference.contract.FeatureSchema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/** The local model server against TF Serving's contract, over a real loopback port and real SavedModels. */
class LocalModelServerIntegrationTests {

    static final int F = FeatureSchema.SIZE;
    static final float[] V1 = weights(0.1f, 0f);
    static final float[] V2 = weights(0.5f, 0.2f);

    @TempDir
    static Path base;
    static LocalModelServer server;
    static ManagedChannel channel;
    static PredictionServiceGrpc.PredictionServiceBlockingStub predictions;
    static ModelServiceGrpc.ModelServiceBlockingStub models;

    @BeforeAll
    static void start() throws Exception {
        DemoModelTrainer.export(V1, base.resolve("m/1"));
        DemoModelTrainer.export(V2, base.resolve("m/2"));
        Files.writeString(base.resolve("m/labels.properties"), "stable=1\ncanary=2\n");
        server = LocalModelServer.start(base, 0, Duration.ofMillis(200));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        predictions = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        models = ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void givesIdenticalOutputsForFloatValAndTensorContentInputs() {
        float[][] rows = rows(5, 1);
        PredictResponse fromFloatVal = predictions.predict(request(spec("m"), floatVal(rows)));
        PredictResponse fromContent = predictions.predict(request(spec("m"), tensorContent(rows)));
        assertThat(scores(fromFloatVal)).containsExactly(scores(fromContent));
        assertThat(fromContent.getOutputsOrThrow("scores").getTensorShape().getDimList())
                .extracting(TensorShapeProto.Dim::getSize).containsExactly(5L, 1L);
        for (int i = 0; i < rows.length; i++) {
            assertThat(scores(fromContent)[i]).isCloseTo(expected(V2, rows[i]), org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void servesTheLatestVersionByDefaultAndHonoursPinnedVersionsAndLabels() {
        float[][] rows = rows(3, 2);
        PredictResponse latest = predictions.predict(request(spec("m"), tensorContent(rows)));
        PredictResponse one = predictions.predict(request(spec("m").toBuilder().setVersion(Int64Value.of(1)).build(),
                tensorContent(rows)));
        PredictResponse stable = predictions.predict(request(spec("m").toBuilder().setVersionLabel("stable").build(),
                tensorContent(rows)));
        PredictResponse canary = predictions.predict(request(spec("m").toBuilder().setVersionLabel("canary").build(),
                tensorContent(rows)));
        assertThat(latest.getModelSpec().getVersion().getValue()).isEqualTo(2);
        assertThat(one.getModelSpec().getVersion().getValue()).isEqualTo(1);
        assertThat(stable.getModelSpec().getVersion().getValue()).isEqualTo(1);
        assertThat(canary.getModelSpec().getVersion().getValue()).isEqualTo(2);
        assertThat(scores(one)[0]).isCloseTo(expected(V1, rows[0]), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(scores(stable)).containsExactly(scores(one));
        assertThat(latest.getModelSpec().getSignatureName()).isEqualTo("serving_default");
    }

    @Test
    void rejectsWrongShapeWrongDtypeAndMissingInputsWithInvalidArgument() {
        TensorProto narrow = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(1, F - 1))
                .addAllFloatVal(java.util.Collections.nCopies(F - 1, 1f)).build();
        assertCode(() -> predictions.predict(request(spec("m"), narrow)), Status.Code.INVALID_ARGUMENT);

        TensorProto doubles = TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE).setTensorShape(shape(1, F))
                .addAllDoubleVal(java.util.Collections.nCopies(F, 1d)).build();
        assertCode(() -> predictions.predict(request(spec("m"), doubles)), Status.Code.INVALID_ARGUMENT);

        TensorProto miscounted = floatVal(rows(2, 3)).toBuilder().setTensorShape(shape(3, F)).build();
        assertCode(() -> predictions.predict(request(spec("m"), miscounted)), Status.Code.INVALID_ARGUMENT);

        PredictRequest missing = PredictRequest.newBuilder().setModelSpec(spec("m"))
                .putInputs("other", tensorContent(rows(1, 4))).build();
        assertCode(() -> predictions.predict(missing), Status.Code.INVALID_ARGUMENT);

        PredictRequest badFilter = request(spec("m"), tensorContent(rows(1, 4))).toBuilder().addOutputFilter("nope")
                .build();
        assertCode(() -> predictions.predict(badFilter), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> predictions.predict(request(spec("m").toBuilder().setVersionLabel("nope").build(),
                tensorContent(rows(1, 4)))), Status.Code.INVALID_ARGUMENT);
        // Still serving after every refusal.
        assertThat(scores(predictions.predict(request(spec("m"), tensorContent(rows(1, 4)))))).hasSize(1);
    }

    @Test
    void answersUnknownModelOrVersionWithNotFoundAndUnknownSignatureWithFailedPrecondition() {
        assertCode(() -> predictions.predict(request(spec("nope"), tensorContent(rows(1, 5)))), Status.Code.NOT_FOUND);
        assertCode(() -> predictions.predict(request(spec("m").toBuilder().setVersion(Int64Value.of(99)).build(),
                tensorContent(rows(1, 5)))), Status.Code.NOT_FOUND);
        assertCode(() -> models.getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec("nope")).build()),
                Status.Code.NOT_FOUND);
        assertCode(() -> predictions.predict(request(spec("m").toBuilder().setSignatureName("train").build(),
                tensorContent(rows(1, 5)))), Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void reportsEveryLoadedVersionAvailable() {
        assertThat(models.getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec("m")).build())
                .getModelVersionStatusList())
                .extracting(ModelVersionStatus::getVersion, ModelVersionStatus::getState)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, ModelVersionStatus.State.AVAILABLE),
                        org.assertj.core.groups.Tuple.tuple(2L, ModelVersionStatus.State.AVAILABLE));
    }

    @Test
    void servesANewVersionDroppedIntoTheBasePathWithoutRestart() throws Exception {
        DemoModelTrainer.export(V1, base.resolve("hot/4"));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StatusRuntimeException.class).untilAsserted(() -> assertThat(predictions.predict(
                request(spec("hot"), tensorContent(rows(1, 6)))).getModelSpec().getVersion().getValue()).isEqualTo(4));
        DemoModelTrainer.export(V2, base.resolve("hot/7"));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StatusRuntimeException.class).untilAsserted(() -> assertThat(predictions.predict(
                request(spec("hot"), tensorContent(rows(1, 6)))).getModelSpec().getVersion().getValue()).isEqualTo(7));
    }

    @Test
    void answersConcurrentPredictCallsEachWithItsOwnRows() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = 100 + t;
                results.add(pool.submit((Callable<Boolean>) () -> {
                    for (int call = 0; call < 40; call++) {
                        float[][] rows = rows(1 + call % 17, seed * 1000 + call);
                        float[] scores = scores(predictions.predict(request(spec("m"), tensorContent(rows))));
                        for (int i = 0; i < rows.length; i++) {
                            if (Math.abs(scores[i] - expected(V2, rows[i])) > 1e-6) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static float[] weights(float scale, float bias) {
        float[] w = new float[F + 1];
        for (int j = 0; j < F; j++) {
            w[j] = scale * (j % 2 == 0 ? 1 : -1) * (1 + j / 7f);
        }
        w[F] = bias;
        return w;
    }

    static float expected(float[] w, float[] x) {
        double z = w[F];
        for (int j = 0; j < F; j++) {
            z += (double) w[j] * x[j];
        }
        return (float) (1 / (1 + Math.exp(-z)));
    }

    static float[][] rows(int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][F];
        for (float[] row : rows) {
            for (int j = 0; j < F; j++) {
                row[j] = random.nextFloat();
            }
        }
        return rows;
    }

    static ModelSpec spec(String name) {
        return ModelSpec.newBuilder().setName(name).setSignatureName("serving_default").build();
    }

    static PredictRequest request(ModelSpec spec, TensorProto input) {
        return PredictRequest.newBuilder().setModelSpec(spec).putInputs("features", input).build();
    }

    static TensorProto floatVal(float[][] rows) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(shape(rows.length, F));
        for (float[] row : rows) {
            for (float value : row) {
                tensor.addFloatVal(value);
            }
        }
        return tensor.build();
    }

    static TensorProto tensorContent(float[][] rows) {
        ByteBuffer content = ByteBuffer.allocate(rows.length * F * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float value : row) {
                content.putFloat(value);
            }
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(rows.length, F))
                .setTensorContent(ByteString.copyFrom(content.array())).build();
    }

    static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return shape.build();
    }

    static float[] scores(PredictResponse response) {
        TensorProto tensor = response.getOutputsOrThrow("scores");
        FloatBuffer values = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        float[] scores = new float[values.remaining()];
        values.get(scores);
        return scores;
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
