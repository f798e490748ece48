package io.streaminference.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaOperations;

/**
 * The Kafka side of a stage whose real output is an idempotent store outside Kafka (the sink's Redis), whose
 * container runs no transaction ({@link StoreListenerConfiguration}). Its only Kafka output is dead letters; in
 * exactly-once mode they commit together with the batch's offsets in one local transaction, so a dead letter is
 * never written twice nor its record skipped. Without dead letters, or at-least-once, nothing is done here and the
 * container commits the offsets after the listener returns (repeating the same offsets after a transaction).
 */
public class StoreStageCommitter {

    private final KafkaOperations<byte[], byte[]> template;
    private final Publisher publisher;

    public StoreStageCommitter(KafkaOperations<byte[], byte[]> template, Publisher publisher) {
        this.template = template;
        this.publisher = publisher;
    }

    /** @throws PublishException when the dead letters are not acknowledged or their transaction does not commit */
    public void commitDeadLetters(List<ProducerRecord<byte[], byte[]>> deadLetters,
            List<? extends ConsumerRecord<?, ?>> batch, Consumer<?, ?> consumer) {
        if (deadLetters.isEmpty() || !template.isTransactional()) {
            publisher.publish(deadLetters);
            return;
        }
        try {
            template.executeInTransaction(inTransaction -> {
                publisher.publish(inTransaction, deadLetters);
                inTransaction.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
                return null;
            });
        } catch (KafkaException | org.springframework.kafka.KafkaException e) {
            // The transaction did not commit (a failed send inside it throws PublishException as is).
            throw publisher.failed(deadLetters, "Committing " + deadLetters.size() + " dead letters with their offsets "
                    + "failed", e);
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
}
