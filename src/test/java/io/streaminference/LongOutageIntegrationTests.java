package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.testing.StoredPredictions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.ConsumerGroupState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A model-server outage longer than max.poll.interval.ms (here 15 s; budget: 10 records are at most 20 Predict calls x 300 ms + 5 s = 11 s) costs no
 * rebalance, no dead letter and no duplicate: the paused consumer keeps polling, and the backlog drains after.
 */
@SpringBootTest(properties = {"spring.kafka.consumer.max-poll-records=10",
        "spring.kafka.consumer.properties.max.poll.interval.ms=15000", "pipeline.inference.deadline=300ms",
        "pipeline.kafka.send-timeout=5s", "pipeline.topics.partitions=2"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class LongOutageIntegrationTests extends PipelineTestSupport {

    @Autowired
    MeterRegistry meters;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void ridesOutAnOutageLongerThanMaxPollIntervalWithoutRebalancingOrDeadLettering() {
        List<String> warmUp = produceValid("warm", 50);
        StoredPredictions stored = stored();
        await().atMost(Duration.ofMinutes(1)).until(() -> stored.allStored(warmUp));
        awaitGroupsFormed();
        double rebalancesBefore = rebalances();

        model.close();
        List<String> ids = produceValid("long", 500);
        // The stage stays paused for twice max.poll.interval.ms with the model server gone.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> meters
                .get("pipeline.breaker.open.seconds").tag("stage", "inference").gauge().value() >= 30);
        assertThat(stored.read(ids)).containsOnlyNulls();

        restartModel();
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.allStored(ids));
        assertThat(rebalances()).isEqualTo(rebalancesBefore);
        assertThat(read(topics.deadLetterOf(topics.features()), Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO))
                .isEmpty();
        assertThat(read(topics.predictions(), 550, Duration.ofSeconds(30), Duration.ofSeconds(1))).hasSize(550);
    }

    /**
     * Waits until every stage's group is stable with all of its container's consumers: the warm-up can be stored
     * before the last consumer has joined (seen in CI), and its join rebalances the group — start-up, not outage.
     */
    private void awaitGroupsFormed() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> groupsFormed(admin));
        }
    }

    private boolean groupsFormed(Admin admin) throws Exception {
        for (var listener : listeners.getListenerContainers()) {
            var container = (ConcurrentMessageListenerContainer<?, ?>) listener;
            var group = admin.describeConsumerGroups(List.of(container.getGroupId())).all().get(5, TimeUnit.SECONDS)
                    .get(container.getGroupId());
            if (group.state() != ConsumerGroupState.STABLE || group.members().size() != container.getConcurrency()) {
                return false;
            }
        }
        return true;
    }

    /** Rebalances seen by the pipeline's consumers, from the Kafka client metrics Spring Boot binds. */
    private double rebalances() {
        List<FunctionCounter> counters = meters.find("kafka.consumer.coordinator.rebalance.total").functionCounters()
                .stream().toList();
        assertThat(counters).as("consumer rebalance metrics are bound").isNotEmpty();
        return counters.stream().mapToDouble(FunctionCounter::count).sum();
    }
}
