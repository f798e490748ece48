package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.testing.EventIdReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Delivery under dependency failures, on real components, in each delivery mode (the subclasses): an outage delays
 * records but never loses or dead-letters them; what each mode promises about copies is {@link #assertDelivered}.
 * Every outage is checked to have really failed batches before it ends.
 */
abstract class DeliveryFaultIntegrationTests extends PipelineTestSupport {


    @Autowired
    MeterRegistry meters;

    @AfterEach
    void healDependencies() {
        model.failRandomly(0);
        model.delay(Duration.ZERO);
    }

    /** Whether the mode promises each event exactly once in s1 and s2, or at least once. */
    abstract boolean exactlyOnce();

    /** Every event of {@code ids} is in s1 and s2 — once, or at least once, as the mode promises — and once in Redis. */
    void assertDelivered(List<String> ids) {
        for (Map<String, Long> copies : List.of(copies(topics.features(), ids, EventIdReader::ofFeatures),
                copies(topics.predictions(), ids, EventIdReader::ofPrediction))) {
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            if (exactlyOnce()) {
                assertThat(copies.values()).as("copies per event").containsOnly(1L);
            }
        }
        assertStoredOnce(ids);
    }

    @Test
    void deliversEveryEventWhileOneModelCallInFiveFails() {
        double failuresBefore = failures("inference");
        model.failRandomly(0.2);
        List<String> ids = produceValid("flaky", 3_000);
        awaitStored(ids, Duration.ofMinutes(3));
        assertThat(failures("inference")).as("failed inference batches").isGreaterThan(failuresBefore);
        assertDelivered(ids);
        assertThat(deadLetteredIds(topics.features())).noneMatch(id -> id.startsWith("flaky-"));
    }

    @Test
    void waitsOutAModelSlowerThanItsDeadline() {
        double failuresBefore = failures("inference");
        model.delay(Duration.ofSeconds(1));
        List<String> ids = produceValid("slow", 200);
        // Every call misses its 300 ms deadline: batches fail until the breaker pauses the stage.
        await().atMost(Duration.ofMinutes(1)).until(() -> failures("inference") >= failuresBefore + 3);
        assertThat(stored().read(ids)).containsOnlyNulls();

        model.delay(Duration.ZERO);
        awaitStored(ids, Duration.ofMinutes(1));
        assertDelivered(ids);
        assertThat(deadLetteredIds(topics.features())).noneMatch(id -> id.startsWith("slow-"));
    }

    @Test
    void waitsOutARedisOutage() {
        double failuresBefore = failures("sink");
        redis.stop();
        List<String> ids = produceValid("redis-down", 300);
        await().atMost(Duration.ofMinutes(1)).until(() -> failures("sink") >= failuresBefore + 3);
        restartRedis();
        awaitStored(ids, Duration.ofMinutes(1));
        assertDelivered(ids);
        assertThat(read(topics.deadLetterOf(topics.predictions()), Integer.MAX_VALUE, Duration.ofSeconds(2),
                Duration.ZERO)).isEmpty();
    }

    double failures(String stage) {
        Counter counter = meters.find("pipeline.batch.failures").tag("stage", stage).counter();
        return counter == null ? 0 : counter.count();
    }

    void awaitStored(List<String> ids, Duration limit) {
        await().atMost(limit).pollInterval(Duration.ofMillis(500)).until(() -> stored().allStored(ids));
    }

    /** Copies of each of our events in {@code topic}, read with read_committed. */
    Map<String, Long> copies(String topic, List<String> ids, Function<byte[], String> eventId) {
        String prefix = ids.get(0).substring(0, ids.get(0).lastIndexOf('-') + 1);
        return read(topic, ids.size(), Duration.ofSeconds(30), Duration.ofSeconds(1)).stream()
                .map(ConsumerRecord::value).map(eventId).filter(id -> id.startsWith(prefix))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** Each event once in its entity's index: Redis keeps one result per event, whatever reached it how often. */
    void assertStoredOnce(List<String> ids) {
        List<String> indexed = stored().read(ids).stream().map(p -> p.getEntityKey()).distinct()
                .flatMap(entity -> stored().indexed(entity).stream())
                .filter(ids::contains).toList();
        assertThat(indexed).containsExactlyInAnyOrderElementsOf(ids);
    }

    private List<String> deadLetteredIds(String sourceTopic) {
        return read(topics.deadLetterOf(sourceTopic), Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO).stream()
                .map(r -> EventIdReader.ofFeatures(r.value())).toList();
    }
}
