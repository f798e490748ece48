package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.testing.EventIdReader;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Exactly-once (the default): every event reaches s1 and s2 once and Redis once, through every outage. */
// 200 records are at most 400 Predict calls x 300 ms + 5 s: within the poll budget PollBudgetGuard checks.
@SpringBootTest(properties = {"pipeline.inference.deadline=300ms", "spring.kafka.consumer.max-poll-records=200",
        "pipeline.kafka.send-timeout=5s", "pipeline.topics.partitions=2", "pipeline.kafka.delivery=exactly-once"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ExactlyOnceDeliveryFaultIntegrationTests extends DeliveryFaultIntegrationTests {

    @Override
    void assertDelivered(List<String> ids) {
        for (Map<String, Long> copies : List.of(copies(topics.features(), ids, EventIdReader::ofFeatures),
                copies(topics.predictions(), ids, EventIdReader::ofPrediction))) {
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(copies.values()).as("copies per event").containsOnly(1L);
        }
        assertStoredOnce(ids);
    }
}
