package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.testing.EventIdReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Exactly-once delivery under dependency failures, on real components: every event reaches s1, s2 and Redis once,
 * and an outage delays records but never dead-letters or duplicates them.
 */
@SpringBootTest(properties = {"pipeline.inference.deadline=300ms",
        // 200 records x 300 ms + 5 s stays within the poll budget PollBudgetGuard checks (500 x 300 ms would not).
        "spring.kafka.consumer.max-poll-records=200", "pipeline.kafka.send-timeout=5s",
        "pipeline.topics.partitions=2"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class DeliveryFaultIntegrationTests extends PipelineTestSupport {

    @AfterEach
    void healDependencies() {
        model.failRandomly(0);
        model.delay(Duration.ZERO);
    }

    @Test
    void deliversEveryEventExactlyOnceWhileOneModelCallInFiveFails() {
        model.failRandomly(0.2);
        List<String> ids = produceValid("flaky", 3_000);
        awaitStored(ids, Duration.ofMinutes(3));
        assertExactlyOnceInS1AndS2(ids);
        assertThat(deadLetteredIds(topics.features())).noneMatch(id -> id.startsWith("flaky-"));
    }

    @Test
    void waitsOutAModelSlowerThanItsDeadline() {
        model.delay(Duration.ofSeconds(1));
        List<String> ids = produceValid("slow", 200);
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(stored().read(ids)).containsOnlyNulls();

        model.delay(Duration.ZERO);
        awaitStored(ids, Duration.ofMinutes(1));
        assertExactlyOnceInS1AndS2(ids);
        assertThat(deadLetteredIds(topics.features())).noneMatch(id -> id.startsWith("slow-"));
    }

    @Test
    void waitsOutARedisOutage() {
        redis.stop();
        List<String> ids = produceValid("redis-down", 300);
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        restartRedis();
        awaitStored(ids, Duration.ofMinutes(1));
        assertExactlyOnceInS1AndS2(ids);
        assertThat(read(topics.deadLetterOf(topics.predictions()), Integer.MAX_VALUE, Duration.ofSeconds(2),
                Duration.ZERO)).isEmpty();
    }

    private void awaitStored(List<String> ids, Duration limit) {
        await().atMost(limit).pollInterval(Duration.ofMillis(500)).until(() -> stored().allStored(ids));
    }

    private void assertExactlyOnceInS1AndS2(List<String> ids) {
        String prefix = ids.get(0).substring(0, ids.get(0).lastIndexOf('-') + 1);
        Map<String, Long> s1 = countByEventId(topics.features(), ids.size(), EventIdReader::ofFeatures);
        Map<String, Long> s2 = countByEventId(topics.predictions(), ids.size(),
                EventIdReader::ofPrediction);
        for (Map<String, Long> counts : List.of(s1, s2)) {
            Map<String, Long> ours = counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(ours.values()).as("copies per event").containsOnly(1L);
        }
    }

    private Map<String, Long> countByEventId(String topic, int atLeast, Function<byte[], String> eventId) {
        return read(topic, atLeast, Duration.ofSeconds(30), Duration.ofSeconds(1)).stream()
                .map(ConsumerRecord::value).map(eventId)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private List<String> deadLetteredIds(String sourceTopic) {
        return read(topics.deadLetterOf(sourceTopic), Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO).stream()
                .map(r -> EventIdReader.ofFeatures(r.value())).toList();
    }
}
