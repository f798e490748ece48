package io.streaminference.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;

/** A batch's offsets on their way into its transaction ({@link Publisher#offsetsAhead}). */
public final class OffsetsAhead {

    static final OffsetsAhead NONE = new OffsetsAhead(CompletableFuture.completedFuture(null), Duration.ZERO);

    private final CompletableFuture<Void> sent;
    private final Duration timeout;

    OffsetsAhead(CompletableFuture<Void> sent, Duration timeout) {
        this.sent = sent;
        this.timeout = timeout;
    }

    /**
     * Waits until the offsets are in the transaction (the producer itself gives up after {@code max.block.ms}).
     *
     * @throws KafkaException when they could not be sent, e.g. the producer was fenced: the batch must not commit
     */
    public void await() {
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException kafka ? kafka
                    : new KafkaException("Sending the batch's offsets to its transaction failed", e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("The batch's offsets were not in its transaction within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending the batch's offsets to its transaction", e);
        }
    }

    /** As {@link #await}, for a batch that failed anyway: only makes sure nothing is in flight when it aborts. */
    void awaitQuietly() {
        try {
            await();
        } catch (KafkaException e) {
            // The batch's own failure is what the container hears of; the transaction is aborted either way.
        }
    }
}
