package io.streaminference.testing;

import com.google.protobuf.Int64Value;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.streaminference.contract.FeatureSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A TensorFlow Serving stand-in on a real loopback port with a known model, score = sigmoid(w·x + b), served as
 * the event model and as the session model (both vectors have 14 values), answering
 * with TF Serving's status codes. A row whose first feature is {@link #POISON} makes it refuse the whole request
 * with INVALID_ARGUMENT, as a real model does for a bad row.
 */
public final class SigmoidModelServer implements AutoCloseable {

    public static final String MODEL = "clickstream-bot";
    /** The session model, the same sigmoid over the session feature vector. */
    public static final String SESSION_MODEL = "clickstream-session";
    public static final long VERSION = 7;
    public static final float POISON = 42f;
    private static final float BIAS = -1.5f;

    private final Server server;
    private final AtomicInteger predictCalls = new AtomicInteger();
    private final java.util.Random faults = new java.util.Random(1);
    private volatile double unavailableRatio;
    private volatile long delayMillis;
    private volatile boolean refusePoison = true;
    private volatile java.util.concurrent.CountDownLatch gate;
    private final AtomicInteger held = new AtomicInteger();

    private SigmoidModelServer(int port) throws IOException {
        this(port, null);
    }

    private SigmoidModelServer(int port, io.grpc.netty.shaded.io.netty.handler.ssl.SslContext tls) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                port));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.server = builder.addService(new Predictions()).addService(new Models()).build().start();
    }

    /**
     * The same model over TLS, as TF Serving serves it with {@code --ssl_config_file}: the server's key and chain from
     * a PKCS12 keystore; with {@code clientCa}, only clients with a certificate that CA signed get in (mutual TLS).
     */
    public static SigmoidModelServer startTls(TestCertificates certificates, boolean requireClientCertificate) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(certificates.serverStore())) {
            java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
            keys.load(in, TestCertificates.PASSWORD.toCharArray());
            javax.net.ssl.KeyManagerFactory keyManagers = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, TestCertificates.PASSWORD.toCharArray());
            io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder tls =
                    io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.configure(
                            io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(keyManagers));
            if (requireClientCertificate) {
                tls.trustManager(certificates.caPem().toFile())
                        .clientAuth(io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.REQUIRE);
            }
            return new SigmoidModelServer(0, tls.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SigmoidModelServer start() {
        return start(0);
    }

    public static SigmoidModelServer start(int port) {
        try {
            return new SigmoidModelServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model, for tests to compute expected scores independently of the pipeline. */
    public static float score(float[] features) {
        double z = BIAS;
        for (int j = 0; j < features.length; j++) {
            z += weight(j) * features[j];
        }
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    private static double weight(int j) {
        return 0.25 * (j + 1) * (j % 2 == 0 ? 1 : -1) + 0.1;
    }

    public int port() {
        return server.getPort();
    }

    public int predictCalls() {
        return predictCalls.get();
    }

    /** Answers this share of Predict calls with UNAVAILABLE, as an overloaded or restarting server does. */
    public void failRandomly(double ratio) {
        this.unavailableRatio = ratio;
    }

    /** Whether rows with {@link #POISON} are refused; off models a fixed model that now accepts them. */
    public void refusePoison(boolean refuse) {
        this.refusePoison = refuse;
    }

    /** Holds every Predict call from now on until {@link #release()}; {@link #heldCalls()} says how many wait. */
    public void hold() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    public void release() {
        java.util.concurrent.CountDownLatch open = gate;
        gate = null;
        if (open != null) {
            open.countDown();
        }
    }

    public int heldCalls() {
        return held.get();
    }

    /** Answers every Predict call this much later (0 for no delay). */
    public void delay(java.time.Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Predictions extends PredictionServiceGrpc.PredictionServiceImplBase {
        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
            predictCalls.incrementAndGet();
            java.util.concurrent.CountDownLatch closed = gate;
            if (closed != null) {
                held.incrementAndGet();
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held.decrementAndGet();
                }
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean fail;
            synchronized (faults) {
                fail = faults.nextDouble() < unavailableRatio;
            }
            if (fail) {
                responses.onError(Status.UNAVAILABLE.withDescription("injected fault").asRuntimeException());
                return;
            }
            String name = request.getModelSpec().getName();
            if (!name.equals(MODEL) && !name.equals(SESSION_MODEL)) {
                responses.onError(Status.NOT_FOUND.withDescription("Servable not found for request: "
                        + name).asRuntimeException());
                return;
            }
            TensorProto input = request.getInputsMap().get("features");
            if (input == null) {
                responses.onError(Status.INVALID_ARGUMENT.withDescription("input 'features' missing")
                        .asRuntimeException());
                return;
            }
            TensorShapeProto shape = input.getTensorShape();
            if (input.getDtype() != DataType.DT_FLOAT || shape.getDimCount() != 2
                    || shape.getDim(1).getSize() != FeatureSchema.SIZE) {
                responses.onError(Status.INVALID_ARGUMENT.withDescription("expects DT_FLOAT [n, "
                        + FeatureSchema.SIZE + "]").asRuntimeException());
                return;
            }
            int n = (int) shape.getDim(0).getSize();
            float[] values = values(input);
            if (values.length != n * FeatureSchema.SIZE) {
                responses.onError(Status.INVALID_ARGUMENT.withDescription("shape and value count disagree")
                        .asRuntimeException());
                return;
            }
            TensorProto.Builder scores = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                    .setTensorShape(TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dim.newBuilder().setSize(n))
                            .addDim(TensorShapeProto.Dim.newBuilder().setSize(1)));
            for (int i = 0; i < n; i++) {
                float[] row = new float[FeatureSchema.SIZE];
                System.arraycopy(values, i * FeatureSchema.SIZE, row, 0, row.length);
                if (refusePoison && row[0] == POISON) {
                    responses.onError(Status.INVALID_ARGUMENT.withDescription("row " + i + " rejected by model")
                            .asRuntimeException());
                    return;
                }
                scores.addFloatVal(score(row));
            }
            responses.onNext(PredictResponse.newBuilder()
                    .setModelSpec(ModelSpec.newBuilder().setName(name).setVersion(Int64Value.of(VERSION))
                            .setSignatureName(request.getModelSpec().getSignatureName()))
                    .putOutputs("scores", scores.build())
                    .build());
            responses.onCompleted();
        }

        private static float[] values(TensorProto tensor) {
            if (!tensor.getTensorContent().isEmpty()) {
                FloatBuffer buffer = tensor.getTensorContent().asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return values;
            }
            float[] values = new float[tensor.getFloatValCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatVal(i);
            }
            return values;
        }
    }

    private static final class Models extends ModelServiceGrpc.ModelServiceImplBase {
        @Override
        public void getModelStatus(GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> responses) {
            String name = request.getModelSpec().getName();
            if (!name.equals(MODEL) && !name.equals(SESSION_MODEL)) {
                responses.onError(Status.NOT_FOUND.withDescription("Could not find any versions of model "
                        + request.getModelSpec().getName()).asRuntimeException());
                return;
            }
            responses.onNext(GetModelStatusResponse.newBuilder()
                    .addModelVersionStatus(ModelVersionStatus.newBuilder().setVersion(VERSION)
                            .setState(ModelVersionStatus.State.AVAILABLE))
                    .build());
            responses.onCompleted();
        }
    }
}
