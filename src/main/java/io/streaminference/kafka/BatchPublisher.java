package io.streaminference.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Sends one batch's output records and waits, within {@code pipeline.kafka.send-timeout}, until the broker has
 * acknowledged all of them; the listener returns (and its offsets are committed) only after that.
 */
public class BatchPublisher {

    private final KafkaOperations<byte[], byte[]> template;
    private final Duration sendTimeout;
    private final MeterRegistry registry;

    public BatchPublisher(KafkaOperations<byte[], byte[]> template, Duration sendTimeout, MeterRegistry registry) {
        this.template = template;
        this.sendTimeout = sendTimeout;
        this.registry = registry;
    }

    /**
     * @throws PublishException when any record is not acknowledged in time (a missing dead-letter topic included);
     *                          the batch then fails, its offsets stay uncommitted and
     *                          {@code pipeline.publish.failures} counts it
     */
    public void sendAndAwait(List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        try {
            for (int i = 0; i < acks.length; i++) {
                acks[i] = template.send(records.get(i));
            }
            CompletableFuture.allOf(acks).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KafkaException | org.springframework.kafka.KafkaException e) {
            // Thrown by send() itself, e.g. no metadata for a topic that does not exist within max.block.ms.
            throw failed(records, "Publishing " + records.size() + " records failed", e);
        } catch (TimeoutException e) {
            throw failed(records, "Broker did not acknowledge " + records.size() + " records within " + sendTimeout, e);
        } catch (ExecutionException e) {
            throw failed(records, "Publishing " + records.size() + " records failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(records, "Interrupted while awaiting acknowledgements", e);
        }
    }

    private PublishException failed(List<ProducerRecord<byte[], byte[]>> records, String message, Throwable cause) {
        String topics = String.join(",", new TreeSet<>(records.stream().map(ProducerRecord::topic).toList()));
        Counter.builder("pipeline.publish.failures").tag("topics", topics)
                .description("Batches whose output (next topic or dead letters) the broker did not acknowledge")
                .register(registry).increment();
        return new PublishException(message + " (topics " + topics + ")", cause);
    }
}
