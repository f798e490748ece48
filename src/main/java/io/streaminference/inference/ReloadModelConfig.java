package io.streaminference.inference;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;
import tensorflow.serving.ModelServiceGrpc;

/**
 * The rollout command: {@code ./mvnw -q exec:java@model-config -Dexec.args="--file models.config"} hands a
 * {@code ModelServerConfig} file — the text format of TF Serving's {@code --model_config_file}, so the one file can
 * live in version control and start the server too — to the model server through its own
 * {@code ModelService.HandleReloadConfigRequest}, as the operator endpoint {@code POST /actuator/modelconfig} does.
 * Exit status 0 when the server applied it, 1 when it refused it (the reason printed), 2 for bad arguments.
 */
public final class ReloadModelConfig {

    static final String USAGE = """
            usage: model-config --file models.config [--server 127.0.0.1:8500]
              --file    a ModelServerConfig in text format: every model, its version policy and version_labels
              --server  the model server's gRPC address (TF Serving's --port; default 127.0.0.1:8500)""";

    private ReloadModelConfig() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new HashMap<>();
        ModelServerConfig config;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
                }
                options.put(args[i].substring(2), args[i + 1]);
            }
            if (!options.containsKey("file")) {
                throw new IllegalArgumentException("--file is required");
            }
            config = ModelServerConfigs.parse(Files.readString(Path.of(options.get("file"))));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        String server = options.getOrDefault("server", "127.0.0.1:8500");
        ManagedChannel channel = ManagedChannelBuilder.forTarget(server).usePlaintext().build();
        try {
            ModelServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(ModelConfigEndpoint.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .handleReloadConfigRequest(ReloadConfigRequest.newBuilder().setConfig(config).build());
            System.out.println("model-config: applied by " + server + ": " + ModelServerConfigs.summary(config));
        } catch (StatusRuntimeException e) {
            System.err.println("model-config: " + server + " refused the configuration (" + e.getStatus().getCode()
                    + "): " + e.getStatus().getDescription());
            System.exit(1);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
