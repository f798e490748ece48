package io.streaminference.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaOperations;
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

        batches.handle(batch);

        assertThat(failures).isEmpty();
    }

    @Test
    void waitsForTheAcknowledgementsWithoutATransaction() {
        when(template.inTransaction()).thenReturn(false);
        when(template.send(output)).thenReturn(new CompletableFuture<>());

        assertThatThrownBy(() -> batches.handle(batch)).isInstanceOf(PublishException.class)
                .hasMessageContaining("did not acknowledge");
    }

    @Test
    void failsTheBatchAtOnceWhenASendFailsBeforeTheCommit() {
        when(template.inTransaction()).thenReturn(true);
        when(template.send(output)).thenReturn(CompletableFuture.failedFuture(new TopicAuthorizationException("s1")));

        assertThatThrownBy(() -> batches.handle(batch)).isInstanceOf(PublishException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(failures).hasSize(1);
    }

    @Test
    void reportsTheFailedSendAsWhyTheTransactionDidNotCommit() {
        TransactionSynchronizationManager.initSynchronization();
        when(template.inTransaction()).thenReturn(true);
        CompletableFuture<Object> ack = new CompletableFuture<>();
        when(template.send(output)).thenAnswer(call -> ack);

        batches.handle(batch);
        // The commit flushes the send, which fails, and the transaction rolls back.
        ack.completeExceptionally(new TopicAuthorizationException("s1"));
        TransactionSynchronizationManager.getSynchronizations()
                .forEach(each -> each.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));

        assertThat(failures).singleElement().isInstanceOf(PublishException.class)
                .extracting(Throwable::getCause).isInstanceOf(TopicAuthorizationException.class);
        assertThat(registry.find("pipeline.publish.failures").counter().count()).isEqualTo(1);
    }
}
