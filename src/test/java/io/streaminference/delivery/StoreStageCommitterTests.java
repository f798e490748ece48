package io.streaminference.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaOperations.OperationsCallback;

class StoreStageCommitterTests {

    @SuppressWarnings("unchecked")
    private final KafkaOperations<byte[], byte[]> template = mock(KafkaOperations.class);
    private final Consumer<?, ?> consumer = mock(Consumer.class);
    private final StoreStageCommitter committer = new StoreStageCommitter(template,
            new Publisher(template, Duration.ofSeconds(1), new SimpleMeterRegistry()));
    private final List<ConsumerRecord<byte[], byte[]>> batch = List.of(record(0, 41), record(1, 7), record(0, 42));
    private final ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>("s2-dlt", new byte[] {1});

    @Test
    void nextOffsetsArePerPartitionTheOffsetAfterTheLastRecord() {
        assertThat(StoreStageCommitter.nextOffsets(batch)).containsOnly(
                Map.entry(new TopicPartition("s2", 0), new OffsetAndMetadata(43)),
                Map.entry(new TopicPartition("s2", 1), new OffsetAndMetadata(8)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void commitsDeadLettersWithTheBatchOffsetsInOneTransactionWhenTransactional() {
        ConsumerGroupMetadata group = new ConsumerGroupMetadata("stream-inference-sink");
        when(consumer.groupMetadata()).thenReturn(group);
        when(template.isTransactional()).thenReturn(true);
        when(template.send(deadLetter)).thenReturn(CompletableFuture.completedFuture(null));
        when(template.executeInTransaction(any())).thenAnswer(
                call -> call.<OperationsCallback<byte[], byte[], ?>>getArgument(0).doInOperations(template));

        committer.commitDeadLetters(List.of(deadLetter), batch, consumer);

        verify(template).send(deadLetter);
        verify(template).sendOffsetsToTransaction(StoreStageCommitter.nextOffsets(batch), group);
    }

    @Test
    void leavesTheOffsetsToTheContainerWithoutDeadLettersOrTransactions() {
        when(template.isTransactional()).thenReturn(true);
        committer.commitDeadLetters(List.of(), batch, consumer);
        verify(template, never()).executeInTransaction(any());

        when(template.isTransactional()).thenReturn(false);
        when(template.send(deadLetter)).thenReturn(CompletableFuture.completedFuture(null));
        committer.commitDeadLetters(List.of(deadLetter), batch, consumer);
        verify(template).send(deadLetter);
        verify(template, never()).executeInTransaction(any());
        verify(template, never()).sendOffsetsToTransaction(any(), any(ConsumerGroupMetadata.class));
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset) {
        return new ConsumerRecord<>("s2", partition, offset, new byte[0], new byte[0]);
    }
}
