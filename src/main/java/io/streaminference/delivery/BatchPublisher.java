package io.streaminference.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
        sendAndAwait(template, records);
    }

    /**
     * For a listener whose container runs no transaction ({@link StoreListenerConfiguration}): sends the batch's
     * records as {@link #sendAndAwait} does, and with a transactional template (exactly-once mode) sends them and
     * the batch's offsets in one local transaction, so both commit together or neither does. The container's own
     * commit afterwards repeats the same offsets. Nothing to send: nothing is done, the container commits.
     *
     * @throws PublishException as {@link #sendAndAwait}, or when the transaction does not commit
     */
    public void sendWithOffsets(List<ProducerRecord<byte[], byte[]>> records, List<? extends ConsumerRecord<?, ?>> batch,
            Consumer<?, ?> consumer) {
        if (records.isEmpty() || !template.isTransactional()) {
            sendAndAwait(records);
            return;
        }
        try {
            template.executeInTransaction(inTransaction -> {
                sendAndAwait(inTransaction, records);
                inTransaction.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
                return null;
            });
        } catch (KafkaException | org.springframework.kafka.KafkaException e) {
            // The transaction did not commit (a failed send inside it throws PublishException as is).
            throw failed(records, "Committing " + records.size() + " records with their offsets failed", e);
        }
    }

    /** Per partition, the offset after the batch's last record: what a consumer commits once the batch is done. */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<? extends ConsumerRecord<?, ?>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<?, ?> record : batch) {
            offsets.merge(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private void sendAndAwait(KafkaOperations<byte[], byte[]> template, List<ProducerRecord<byte[], byte[]>> records) {
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
