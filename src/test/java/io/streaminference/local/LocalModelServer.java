package io.streaminference.local;

import com.google.protobuf.Int64Value;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelManagement.ReloadConfigResponse;
import tensorflow.serving.Status.StatusProto;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A TensorFlow Serving-compatible gRPC server backed by TensorFlow Java: {@code PredictionService.Predict},
 * {@code ModelService.GetModelStatus} and {@code ModelService.HandleReloadConfigRequest} (versions served and their
 * labels) over the SavedModels of a {@link ModelRepository}, with TF Serving's status codes. Lets the whole pipeline run on a laptop with a real model and no Docker.
 */
public final class LocalModelServer implements AutoCloseable {

    private final ModelRepository repository;
    private final Server server;

    private LocalModelServer(ModelRepository repository, Server server) {
        this.repository = repository;
        this.server = server;
    }

    /** @param port 0 for any free port */
    public static LocalModelServer start(Path basePath, int port, Duration pollInterval) {
        ModelRepository repository = new ModelRepository(basePath, pollInterval);
        try {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .maxInboundMessageSize(64 * 1024 * 1024)
                    .addService(new Predictions(repository))
                    .addService(new Models(repository))
                    .build()
                    .start();
            return new LocalModelServer(repository, server);
        } catch (IOException e) {
            repository.close();
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new IllegalStateException("Model server port " + port + " is already in use", e);
            }
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Re-scans the base path now instead of waiting for the next poll. */
    public void rescan() {
        repository.scan();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        repository.close();
    }

    private static final class Predictions extends PredictionServiceGrpc.PredictionServiceImplBase {
        private final ModelRepository repository;

        Predictions(ModelRepository repository) {
            this.repository = repository;
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
            try {
                ServedModel model = repository.resolve(request.getModelSpec());
                PredictResponse response = PredictResponse.newBuilder()
                        .setModelSpec(ModelSpec.newBuilder().setName(model.name())
                                .setVersion(Int64Value.of(model.version()))
                                .setSignatureName(request.getModelSpec().getSignatureName().isEmpty()
                                        ? "serving_default" : request.getModelSpec().getSignatureName()))
                        .putAllOutputs(model.predict(request.getModelSpec().getSignatureName(),
                                request.getInputsMap(), request.getOutputFilterList()))
                        .build();
                responses.onNext(response);
                responses.onCompleted();
            } catch (StatusRuntimeException e) {
                responses.onError(e);
            } catch (RuntimeException e) {
                // A bad request must never take the server down; report it as TF Serving would.
                responses.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
        }
    }

    private static final class Models extends ModelServiceGrpc.ModelServiceImplBase {
        private final ModelRepository repository;

        Models(ModelRepository repository) {
            this.repository = repository;
        }

        @Override
        public void getModelStatus(GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> responses) {
            try {
                ModelSpec spec = request.getModelSpec();
                GetModelStatusResponse.Builder response = GetModelStatusResponse.newBuilder();
                if (spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSIONCHOICE_NOT_SET) {
                    ModelRepository.Versions versions = repository.models().get(spec.getName());
                    if (versions == null || versions.byVersion().isEmpty()) {
                        throw Status.NOT_FOUND.withDescription("Could not find any versions of model "
                                + spec.getName()).asRuntimeException();
                    }
                    versions.byVersion().keySet().forEach(v -> response.addModelVersionStatus(available(v)));
                } else {
                    response.addModelVersionStatus(available(repository.resolve(spec).version()));
                }
                responses.onNext(response.build());
                responses.onCompleted();
            } catch (StatusRuntimeException e) {
                responses.onError(e);
            }
        }

        /** As TF Serving: the error is the call's status, and is also written into the response's status. */
        @Override
        public void handleReloadConfigRequest(ReloadConfigRequest request,
                StreamObserver<ReloadConfigResponse> responses) {
            try {
                repository.reload(request.getConfig());
                responses.onNext(ReloadConfigResponse.newBuilder().setStatus(StatusProto.newBuilder()
                        .setErrorCode(org.tensorflow.framework.Code.OK)).build());
                responses.onCompleted();
            } catch (StatusRuntimeException e) {
                responses.onError(e);
            }
        }

        private static ModelVersionStatus available(long version) {
            return ModelVersionStatus.newBuilder().setVersion(version).setState(ModelVersionStatus.State.AVAILABLE)
                    .build();
        }
    }
}
