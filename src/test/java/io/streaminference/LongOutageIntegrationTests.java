package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.testing.StoredPredictions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A model-server outage longer than max.poll.interval.ms (here 15 s, budget 20 x 300 ms + 5 s = 11 s) costs no
 * rebalance, no dead letter and no duplicate: the paused consumer keeps polling, and the backlog drains after.
 */
@SpringBootTest(properties = {"spring.kafka.consumer.max-poll-records=20",
        "spring.kafka.consumer.properties.max.poll.interval.ms=15000", "pipeline.inference.deadline=300ms",
        "pipeline.kafka.send-timeout=5s", "pipeline.topics.partitions=2"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class LongOutageIntegrationTests extends PipelineIntegrationTest {

    @Autowired
    MeterRegistry meters;

    @Test
    void ridesOutAnOutageLongerThanMaxPollIntervalWithoutRebalancingOrDeadLettering() {
        List<String> warmUp = produceValid("warm", 50);
        StoredPredictions stored = stored();
        await().atMost(Duration.ofMinutes(1)).until(() -> stored.allStored(warmUp));
        double rebalancesBefore = rebalances();

        model.close();
        List<String> ids = produceValid("long", 500);
        // Twice max.poll.interval.ms with the model server gone.
        await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> true);
        assertThat(stored.read(ids)).containsOnlyNulls();

        restartModel();
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(ids));
        assertThat(rebalances()).isEqualTo(rebalancesBefore);
        assertThat(read(topics.deadLetterOf(topics.features()), Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO))
                .isEmpty();
        assertThat(read(topics.predictions(), 550, Duration.ofSeconds(30), Duration.ofSeconds(1))).hasSize(550);
    }

    /** Rebalances seen by the pipeline's consumers, from the Kafka client metrics Spring Boot binds. */
    private double rebalances() {
        List<FunctionCounter> counters = meters.find("kafka.consumer.coordinator.rebalance.total").functionCounters()
                .stream().toList();
        assertThat(counters).as("consumer rebalance metrics are bound").isNotEmpty();
        return counters.stream().mapToDouble(FunctionCounter::count).sum();
    }
}
