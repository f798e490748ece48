package io.streaminference.delivery;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetsOncePerTransactionTests {

    @SuppressWarnings("unchecked")
    private final Producer<Object, Object> kafka = mock(Producer.class);
    private final Producer<Object, Object> producer = new OffsetsOncePerTransaction().apply(kafka);
    private final ConsumerGroupMetadata group = new ConsumerGroupMetadata("stream-inference-inference", 3, "member-1",
            java.util.Optional.empty());
    private final Map<TopicPartition, OffsetAndMetadata> batch = Map.of(new TopicPartition("s1", 0),
            new OffsetAndMetadata(42), new TopicPartition("s1", 1), new OffsetAndMetadata(7));

    @Test
    void sendsTheSameOffsetsOncePerTransaction() {
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(batch, group);
        producer.sendOffsetsToTransaction(Map.copyOf(batch), group);

        verify(kafka, times(1)).sendOffsetsToTransaction(anyMap(), any(ConsumerGroupMetadata.class));
    }

    @Test
    void sendsThemAgainInTheNextTransaction() {
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(batch, group);
        producer.commitTransaction();
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(batch, group);

        verify(kafka, times(2)).sendOffsetsToTransaction(batch, group);
    }

    @Test
    void sendsOtherOffsetsOrAnotherGenerationsAsAlways() {
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(batch, group);
        producer.sendOffsetsToTransaction(Map.of(new TopicPartition("s1", 0), new OffsetAndMetadata(40)), group);
        producer.sendOffsetsToTransaction(batch, new ConsumerGroupMetadata("stream-inference-inference", 4,
                "member-1", java.util.Optional.empty()));

        verify(kafka, times(3)).sendOffsetsToTransaction(anyMap(), any(ConsumerGroupMetadata.class));
    }

    @Test
    void forgetsThemWhenTheTransactionAborts() {
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(batch, group);
        producer.abortTransaction();
        producer.sendOffsetsToTransaction(batch, group);

        verify(kafka, times(2)).sendOffsetsToTransaction(batch, group);
    }
}
