package io.streaminference.preprocess;

import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.delivery.BatchReporting;
import io.streaminference.delivery.Publisher;
import io.streaminference.delivery.PublishingBatches;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes s0 in batches; the batch's offsets are committed only after its s1 records and dead letters are
 * acknowledged. A throw (broker away) makes the container roll the batch back and retry it with back-off; the breaker
 * pauses the listener when failures persist.
 */
@ConditionalOnRole(Role.PREPROCESS)
@Component
class PreprocessListener {

    private final PublishingBatches batches;

    PreprocessListener(PreprocessStage stage, Publisher publisher,
            @Qualifier("preprocessBreaker") CircuitBreaker breaker) {
        this.batches = new PublishingBatches(stage::process, publisher,
                new BatchReporting(stage.metrics(), breaker::succeeded, breaker::failed));
    }

    @KafkaListener(id = PreprocessStage.STAGE, topics = "${pipeline.topics.events}",
            groupId = "${spring.kafka.consumer.group-id}-" + PreprocessStage.STAGE)
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        batches.handle(records);
    }
}
