package io.streaminference.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaResourceHolder;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class PublishingBatchesTests {

    @SuppressWarnings("unchecked")
    private final KafkaOperations<byte[], byte[]> template = mock(KafkaOperations.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Publisher publisher = new Publisher(template, Duration.ofMillis(200), registry);
    private final ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("s1", new byte[] {1});
    private final List<Throwable> failures = new ArrayList<>();
    private final PublishingBatches batches = new PublishingBatches(records -> {
        StageOutput stageOutput = new StageOutput();
        stageOutput.emit(output);
        return stageOutput;
    }, publisher, new BatchReporting(new StageMetrics(registry, "preprocess"), () -> { }, failures::add));
    private final List<ConsumerRecord<byte[], byte[]>> batch = List.of(
            new ConsumerRecord<>("s0", 0, 7, new byte[0], new byte[0]));

    @AfterEach
    void clearSynchronization() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    @Test
    void leavesTheAcknowledgementsToTheCommitInsideATransaction() {
        when(template.inTransaction()).thenReturn(true);
        when(template.send(output)).thenReturn(new CompletableFuture<>()); // never acknowledged while the listener runs

        batches.handle(batch, null);

        assertThat(failures).isEmpty();
    }

    @Test
    void waitsForTheAcknowledgementsWithoutATransaction() {
        when(template.inTransaction()).thenReturn(false);
        when(template.send(output)).thenReturn(new CompletableFuture<>());

        assertThatThrownBy(() -> batches.handle(batch, null)).isInstanceOf(PublishException.class)
                .hasMessageContaining("did not acknowledge");
    }

    @Test
    void failsTheBatchAtOnceWhenASendFailsBeforeTheCommit() {
        when(template.inTransaction()).thenReturn(true);
        when(template.send(output)).thenReturn(CompletableFuture.failedFuture(new TopicAuthorizationException("s1")));

        assertThatThrownBy(() -> batches.handle(batch, null)).isInstanceOf(PublishException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(failures).hasSize(1);
    }

    @Test
    void reportsTheFailedSendAsWhyTheTransactionDidNotCommit() {
        TransactionSynchronizationManager.initSynchronization();
        when(template.inTransaction()).thenReturn(true);
        CompletableFuture<Object> ack = new CompletableFuture<>();
        when(template.send(output)).thenAnswer(call -> ack);

        batches.handle(batch, null);
        // The commit flushes the send, which fails, and the transaction rolls back.
        ack.completeExceptionally(new TopicAuthorizationException("s1"));
        TransactionSynchronizationManager.getSynchronizations()
                .forEach(each -> each.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));

        assertThat(failures).singleElement().isInstanceOf(PublishException.class)
                .extracting(Throwable::getCause).isInstanceOf(TopicAuthorizationException.class);
        assertThat(registry.find("pipeline.publish.failures").counter().count()).isEqualTo(1);
    }

    @Test
    void sendsTheBatchsOffsetsToItsTransactionBeforeTheContainerDoes() {
        @SuppressWarnings("unchecked")
        Producer<Object, Object> kafka = mock(Producer.class);
        Producer<Object, Object> producer = new OffsetsOncePerTransaction().apply(kafka);
        @SuppressWarnings("unchecked")
        ProducerFactory<byte[], byte[]> factory = mock(ProducerFactory.class);
        when(template.getProducerFactory()).thenReturn(factory);
        when(template.inTransaction()).thenReturn(true);
        when(template.send(output)).thenReturn(new CompletableFuture<>());
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        List<ConsumerRecord<byte[], byte[]>> twoPartitions = List.of(
                new ConsumerRecord<>("s0", 0, 7, new byte[0], new byte[0]),
                new ConsumerRecord<>("s0", 0, 9, new byte[0], new byte[0]),
                new ConsumerRecord<>("s0", 3, 2, new byte[0], new byte[0]));
        Map<TopicPartition, OffsetAndMetadata> next = Map.of(new TopicPartition("s0", 0), new OffsetAndMetadata(10),
                new TopicPartition("s0", 3), new OffsetAndMetadata(3));
        TransactionSynchronizationManager.bindResource(factory, new KafkaResourceHolder<>(producer, Duration.ZERO));
        try {
            batches.handle(twoPartitions, consumer);
            verify(kafka, times(1)).sendOffsetsToTransaction(next, consumer.groupMetadata());
            // What the container sends after the listener returns: the same offsets, which cost nothing now.
            producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
        } finally {
            TransactionSynchronizationManager.unbindResource(factory);
        }

        verify(kafka, times(1)).sendOffsetsToTransaction(next, consumer.groupMetadata());
        assertThat(failures).isEmpty();
    }
}
