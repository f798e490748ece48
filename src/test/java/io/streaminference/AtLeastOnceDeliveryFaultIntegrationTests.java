package io.streaminference;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * At-least-once: nothing is lost through an outage; s1 and s2 may hold an event more than once (a batch published
 * and then retried), Redis still holds one result per event.
 */
// 200 records are at most 400 Predict calls x 300 ms + 5 s: within the poll budget PollBudgetGuard checks.
@SpringBootTest(properties = {"pipeline.inference.deadline=300ms", "spring.kafka.consumer.max-poll-records=200",
        "pipeline.kafka.send-timeout=5s", "pipeline.topics.partitions=2", "pipeline.kafka.delivery=at-least-once"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class AtLeastOnceDeliveryFaultIntegrationTests extends DeliveryFaultIntegrationTests {

    @Override
    boolean exactlyOnce() {
        return false;
    }
}
