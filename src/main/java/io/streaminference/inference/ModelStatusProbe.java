package io.streaminference.inference;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.ModelServiceGrpc.ModelServiceBlockingStub;

/** Asks the model server, within a deadline, which versions of the configured model it serves and in what state. */
final class ModelStatusProbe {

    static final long DEADLINE_MS = 2_000;

    private final ModelServiceBlockingStub stub;
    private final InferenceProperties.Model model;

    ModelStatusProbe(ModelServiceBlockingStub stub, InferenceProperties.Model model) {
        this.stub = stub;
        this.model = model;
    }

    /** @return version → state; throws the gRPC status when the server cannot answer */
    Map<Long, ModelVersionStatus.State> versions() {
        return versions(stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS));
    }

    /**
     * Like {@link #versions()}, but first waits for the channel to connect (a call normally fails at once while the
     * channel cannot connect), all within {@code wait}.
     */
    Map<Long, ModelVersionStatus.State> versionsOnceConnected(Duration wait) {
        return versions(stub.withWaitForReady().withDeadlineAfter(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Every version the server serves of the model, whatever the pipeline pins; throws as {@link #versions()}. */
    Map<Long, ModelVersionStatus.State> allVersions() {
        return versions(stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS),
                tensorflow.serving.Model.ModelSpec.newBuilder().setName(model.name()).build());
    }

    private Map<Long, ModelVersionStatus.State> versions(ModelServiceBlockingStub call) {
        return versions(call, ModelSpecs.of(model));
    }

    private static Map<Long, ModelVersionStatus.State> versions(ModelServiceBlockingStub call,
            tensorflow.serving.Model.ModelSpec spec) {
        GetModelStatusResponse response = call
                .getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec).build());
        Map<Long, ModelVersionStatus.State> versions = new TreeMap<>();
        for (ModelVersionStatus status : response.getModelVersionStatusList()) {
            versions.put(status.getVersion(), status.getState());
        }
        return versions;
    }

    boolean available() {
        return versions().containsValue(ModelVersionStatus.State.AVAILABLE);
    }

    String modelName() {
        return model.name();
    }

    InferenceProperties.Model model() {
        return model;
    }
}
