package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.streaminference.testing.SigmoidModelServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tensorflow.serving.ModelServiceGrpc;

/** The start-up connect of the model-server channel, against a real gRPC server on loopback and against none. */
@ExtendWith(OutputCaptureExtension.class)
class ModelChannelWarmupIntegrationTests {

    private ManagedChannel channel;
    private final AtomicInteger predicts = new AtomicInteger();
    /** How many first Predicts fail before one scores. */
    private int failingPredicts;

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void leavesTheChannelConnectedAndTheModelCalledOnceWhenTheModelServerAnswers(CapturedOutput output) {
        try (SigmoidModelServer server = SigmoidModelServer.start()) {
            warmup(server.port()).start();

            assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
            assertThat(predicts).hasValue(1);
            assertThat(output).contains("Model server connected; clickstream-bot versions: {7=AVAILABLE}")
                    .doesNotContain("WARN");
        }
    }

    @Test
    void triesTheFirstPredictAgainWhenItFailsAtFirst(CapturedOutput output) {
        failingPredicts = 2;
        try (SigmoidModelServer server = SigmoidModelServer.start()) {
            warmup(server.port()).start();

            assertThat(predicts).hasValue(3);
            assertThat(output).doesNotContain("WARN");
        }
    }

    @Test
    void startsAnywayNamingTheModelWhenItNeverScoresTheFirstRow(CapturedOutput output) {
        failingPredicts = Integer.MAX_VALUE;
        try (SigmoidModelServer server = SigmoidModelServer.start()) {
            warmup(server.port(), Duration.ofSeconds(3)).start();

            assertThat(output).contains("The model clickstream-bot did not score a first row", "starting anyway");
        }
    }

    @Test
    void startsAnywaySayingWhyWhenNoModelServerAnswers(CapturedOutput output) {
        int port;
        try (SigmoidModelServer gone = SigmoidModelServer.start()) {
            port = gone.port();
        }

        warmup(port, Duration.ofMillis(500)).start();

        assertThat(output).contains("Model server did not answer within PT0.5S", "starting anyway");
        assertThat(predicts).as("no Predict sent to a server that is not there").hasValue(0);
        assertThat(channel.getState(false)).isNotEqualTo(ConnectivityState.READY);
    }

    /**
     * Bounded at 10 s where a server answers (the first connect and call of a fresh JVM on a busy machine can take
     * longer than half a second), at 500 ms where none does.
     */
    private ModelChannelWarmup warmup(int port) {
        return warmup(port, Duration.ofSeconds(10));
    }

    private ModelChannelWarmup warmup(int port, Duration wait) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        InferenceProperties.Model model = new InferenceProperties.Model(SigmoidModelServer.MODEL, "serving_default",
                "features", "scores", null, null, java.util.List.of("human", "bot"), 0.5);
        return new ModelChannelWarmup(new ModelStatusProbe(ModelServiceGrpc.newBlockingStub(channel), model),
                () -> predicts.incrementAndGet() > failingPredicts, wait);
    }
}
