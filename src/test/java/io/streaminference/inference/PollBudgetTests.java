package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollBudgetTests {

    @Test
    void acceptsTheShippedDefaults() {
        // 200 x 500 ms + 15 s = 115 s, below the 120 s transaction timeout and the 300 s poll interval.
        assertThat(PollBudget.violation(200, Duration.ofMillis(500), Duration.ofSeconds(15), 300_000, 120_000L))
                .isEmpty();
    }

    @Test
    void namesThePropertiesWhenOnePollCouldOutlastMaxPollInterval() {
        assertThat(PollBudget.violation(500, Duration.ofSeconds(2), Duration.ofSeconds(15), 300_000, null))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("spring.kafka.consumer.max-poll-records (500)", "pipeline.inference.deadline (2000 ms)",
                                "pipeline.kafka.send-timeout (15000 ms)", "= 1015000 ms",
                                "max.poll.interval.ms (300000 ms)"));
    }

    @Test
    void checksTheTransactionTimeoutOnlyWithTransactions() {
        assertThat(PollBudget.violation(100, Duration.ofMillis(500), Duration.ofSeconds(15), 300_000, 60_000L))
                .hasValueSatisfying(message -> assertThat(message).contains("transaction.timeout.ms (60000 ms)"));
        assertThat(PollBudget.violation(100, Duration.ofMillis(500), Duration.ofSeconds(15), 300_000, null)).isEmpty();
    }
}
