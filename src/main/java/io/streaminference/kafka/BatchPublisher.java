package io.streaminference.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends one batch's output records and waits, within {@code pipeline.kafka.send-timeout}, until the broker has
 * acknowledged all of them; the listener returns (and its offsets are committed) only after that.
 */
public class BatchPublisher {

    private final KafkaTemplate<byte[], byte[]> template;
    private final Duration sendTimeout;

    public BatchPublisher(KafkaTemplate<byte[], byte[]> template, Duration sendTimeout) {
        this.template = template;
        this.sendTimeout = sendTimeout;
    }

    public void sendAndAwait(List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < acks.length; i++) {
            acks[i] = template.send(records.get(i));
        }
        try {
            CompletableFuture.allOf(acks).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PublishException("Broker did not acknowledge " + records.size() + " records within "
                    + sendTimeout, e);
        } catch (ExecutionException e) {
            throw new PublishException("Publishing " + records.size() + " records failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("Interrupted while awaiting acknowledgements", e);
        }
    }
}
