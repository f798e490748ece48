package io.streaminference.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Sends one batch's output records — to the next topic and dead letters. Without a transaction it waits, within
 * {@code pipeline.kafka.send-timeout}, until the broker has acknowledged all of them, so a listener returns (and its
 * offsets are committed) only after that. Inside a container's transaction ({@link #sendInTransaction}) the records
 * join it and the commit does that waiting: it flushes them, and fails when one failed.
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
        CompletableFuture<?>[] acks = send(kafka, records);
        try {
            CompletableFuture.allOf(acks).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failed(records, "Broker did not acknowledge " + records.size() + " records within " + sendTimeout, e);
        } catch (ExecutionException e) {
            throw sendFailed(records, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(records, "Interrupted while awaiting acknowledgements", e);
        }
    }

    /** Whether the caller's thread is inside a Kafka transaction, for {@link #sendInTransaction}. */
    public boolean inTransaction() {
        return template.inTransaction();
    }

    /**
     * Sends {@code records} into the caller's Kafka transaction without waiting for their acknowledgements: the
     * transaction's commit flushes them and fails when one failed, so waiting here would only add a produce round trip
     * per batch before the offsets are sent and the commit starts (a quarter of the inference stage's time at 50% load,
     * docs/benchmarks.md). A send that fails at once (no metadata for the topic within {@code max.block.ms}, a record
     * too large) fails the batch here, as with {@link #publish(List)}.
     *
     * @return the sends, to tell why the transaction did not commit
     */
    public Sent sendInTransaction(List<ProducerRecord<byte[], byte[]>> records) {
        Sent sent = new Sent(records, send(template, records));
        Throwable failure = sent.firstFailure();
        if (failure != null) {
            throw sendFailed(records, failure);
        }
        return sent;
    }

    private CompletableFuture<?>[] send(KafkaOperations<byte[], byte[]> kafka,
            List<ProducerRecord<byte[], byte[]>> records) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        try {
            for (int i = 0; i < acks.length; i++) {
                acks[i] = kafka.send(records.get(i));
            }
        } catch (KafkaException | org.springframework.kafka.KafkaException e) {
            // Thrown by send() itself, e.g. no metadata for a topic that does not exist within max.block.ms.
            throw sendFailed(records, e);
        }
        return acks;
    }

    private PublishException sendFailed(List<ProducerRecord<byte[], byte[]>> records, Throwable cause) {
        return failed(records, "Publishing " + records.size() + " records failed", cause);
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

    /** A batch's records sent into a transaction, and their acknowledgements as far as they have come. */
    public final class Sent {

        private final List<ProducerRecord<byte[], byte[]>> records;
        private final CompletableFuture<?>[] acks;

        private Sent(List<ProducerRecord<byte[], byte[]>> records, CompletableFuture<?>[] acks) {
            this.records = records;
            this.acks = acks;
        }

        /**
         * Why the transaction did not commit, once it has not: the first send that failed (the commit flushed them
         * all, so each has its answer unless the commit itself timed out), else that the commit failed.
         */
        public PublishException notCommitted() {
            Throwable failure = firstFailure();
            return failure == null ? PublishException.notCommitted(records) : sendFailed(records, failure);
        }

        private Throwable firstFailure() {
            for (CompletableFuture<?> ack : acks) {
                if (ack.isCompletedExceptionally()) {
                    try {
                        ack.join();
                    } catch (CompletionException | CancellationException e) {
                        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    }
                }
            }
            return null;
        }
    }
}
