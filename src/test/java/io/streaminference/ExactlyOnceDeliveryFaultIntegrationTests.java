package io.streaminference;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Exactly-once (the default): every event reaches s1 and s2 once and Redis once, through every outage. */
// 200 records are at most 400 Predict calls x 300 ms + 5 s: within the poll budget PollBudgetGuard checks.
@SpringBootTest(properties = {"pipeline.inference.deadline=300ms", "spring.kafka.consumer.max-poll-records=200",
        "pipeline.kafka.send-timeout=5s", "pipeline.topics.partitions=2", "pipeline.kafka.delivery=exactly-once"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ExactlyOnceDeliveryFaultIntegrationTests extends DeliveryFaultIntegrationTests {

    @Override
    boolean exactlyOnce() {
        return true;
    }
}
