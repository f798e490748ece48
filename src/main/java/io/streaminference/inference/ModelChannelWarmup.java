package io.streaminference.inference;

import io.grpc.StatusRuntimeException;
import io.streaminference.delivery.BeforeListenersStart;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the shared model-server channel and sends one Predict of the reference row before the listener containers
 * start. gRPC channels connect lazily, and the first call of a fresh JVM is slow: with a backlog in s1 the first
 * Predict calls spent their whole deadline connecting, their batches failed, and the inference breaker paused the
 * stage for a probe interval. A model server that does not answer in time only gets a warning: the stage starts, and
 * its breaker holds s1 until the server answers.
 */
final class ModelChannelWarmup extends BeforeListenersStart {

    private static final Logger log = LoggerFactory.getLogger(ModelChannelWarmup.class);
    private static final long RETRY_PAUSE_MS = 100;

    private final ModelStatusProbe probe;
    private final BooleanSupplier firstPredict;
    private final Duration wait;

    /** @param firstPredict one Predict with the configured request; whether the model scored it */
    ModelChannelWarmup(ModelStatusProbe probe, BooleanSupplier firstPredict, Duration wait) {
        this.probe = probe;
        this.firstPredict = firstPredict;
        this.wait = wait;
    }

    @Override
    protected void run() {
        try {
            log.info("Model server connected; {} versions: {}", probe.modelName(), probe.versionsOnceConnected(wait));
        } catch (StatusRuntimeException e) {
            log.warn("Model server did not answer within {} ({}); starting anyway, the inference stage's breaker "
                    + "holds s1 until it does", wait, e.getStatus());
            return;
        }
        // The first Predict of a fresh JVM may outlast its deadline (class loading, the server's own first call):
        // try again until the same bound as the connection.
        long deadline = System.nanoTime() + wait.toNanos();
        while (!firstPredict.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                log.warn("The model {} did not score a first row with the configured request within {} "
                        + "(pipeline.inference.models.*); starting anyway, the inference stage's breaker holds its "
                        + "input until it does", probe.modelName(), wait);
                return;
            }
            try {
                Thread.sleep(RETRY_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
