package io.streaminference.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Sends one batch's output records — to the next topic and dead letters — and waits, within
 * {@code pipeline.kafka.send-timeout}, until the broker has acknowledged all of them, so a listener returns (and its
 * offsets are committed) only after that. Inside a container's transaction the records join it.
 */
public class Publisher {

    private final KafkaOperations<byte[], byte[]> template;
    private final Duration sendTimeout;
    private final MeterRegistry registry;

    public Publisher(KafkaOperations<byte[], byte[]> template, Duration sendTimeout, MeterRegistry registry) {
        this.template = template;
        this.sendTimeout = sendTimeout;
        this.registry = registry;
    }

    /**
     * @throws PublishException when any record is not acknowledged in time (a missing dead-letter topic included);
     *                          the batch then fails, its offsets stay uncommitted and
     *                          {@code pipeline.publish.failures} counts it
     */
    public void publish(List<ProducerRecord<byte[], byte[]>> records) {
        publish(template, records);
    }

    /** As {@link #publish(List)}, through {@code kafka} (e.g. the operations of a local transaction). */
    void publish(KafkaOperations<byte[], byte[]> kafka, List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        try {
            for (int i = 0; i < acks.length; i++) {
                acks[i] = kafka.send(records.get(i));
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

    PublishException failed(List<ProducerRecord<byte[], byte[]>> records, String message, Throwable cause) {
        Set<String> topics = topics(records);
        String names = String.join(",", topics);
        Counter.builder("pipeline.publish.failures").tag("topics", names)
                .description("Batches whose output (next topic or dead letters) the broker did not acknowledge")
                .register(registry).increment();
        String denied = KafkaPrincipalName.denial(cause) != null
                ? "; the app's principal " + principal() + " may not write there: grant WRITE (README, Security: the"
                        + " ACLs the app needs)"
                : "";
        return new PublishException(message + " (topics " + names + denied + ")", topics, cause);
    }

    private String principal() {
        try {
            return KafkaPrincipalName.of(template.getProducerFactory().getConfigurationProperties());
        } catch (RuntimeException e) {
            return "(unknown)";
        }
    }

    static Set<String> topics(List<ProducerRecord<byte[], byte[]>> records) {
        Set<String> topics = new TreeSet<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            topics.add(record.topic());
        }
        return topics;
    }
}
