package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.streaminference.testing.SigmoidModelServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tensorflow.serving.ModelServiceGrpc;

/** The start-up connect of the model-server channel, against a real gRPC server on loopback and against none. */
class ModelChannelWarmupIntegrationTests {

    private ManagedChannel channel;

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void leavesTheChannelConnectedWhenTheModelServerAnswers() {
        try (SigmoidModelServer server = SigmoidModelServer.start()) {
            ModelChannelWarmup warmup = warmup(server.port());

            warmup.start();

            assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
            assertThat(warmup.isRunning()).isTrue();
        }
    }

    @Test
    void startsAnywayWhenNoModelServerAnswers() {
        int port;
        try (SigmoidModelServer gone = SigmoidModelServer.start()) {
            port = gone.port();
        }
        ModelChannelWarmup warmup = warmup(port);

        warmup.start();

        assertThat(warmup.isRunning()).isTrue();
        assertThat(channel.getState(false)).isNotEqualTo(ConnectivityState.READY);
    }

    private ModelChannelWarmup warmup(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        InferenceProperties.Model model = new InferenceProperties.Model(SigmoidModelServer.MODEL, "serving_default",
                "features", "scores", null, null);
        return new ModelChannelWarmup(new ModelStatusProbe(ModelServiceGrpc.newBlockingStub(channel), model),
                Duration.ofMillis(500));
    }
}
