package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollBudgetTests {

    @Test
    void countsEveryRowRefusedAndSplitNotOneCallPerRow() {
        // 500 rows in chunks of 256: 2 chunk calls + 1 reference row + 2 x (500 - 2) splits = 999 calls.
        assertThat(BatchScorer.worstCaseCalls(500, 256)).isEqualTo(999);
        // 999 x 200 ms + 15 s = 214.8 s: over a 120 s transaction timeout, though 500 x 200 ms + 15 s is not.
        assertThat(PollBudget.violation(500, 256, Duration.ofMillis(200), Duration.ofSeconds(15), 300_000, 120_000L))
                .hasValueSatisfying(message -> assertThat(message).contains("999 Predict calls", "= 214800 ms",
                        "transaction.timeout.ms (120000 ms)"));
        assertThat(PollBudget.violation(500, 256, Duration.ofMillis(200), Duration.ofSeconds(15), 300_000, 240_000L))
                .isEmpty();
    }

    @Test
    void namesThePropertiesWhenOnePollCouldOutlastMaxPollInterval() {
        assertThat(PollBudget.violation(500, 256, Duration.ofSeconds(2), Duration.ofSeconds(15), 300_000, null))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("max.poll.records (500)", "pipeline.inference.max-batch-size 256",
                                "pipeline.inference.deadline (2000 ms)", "pipeline.kafka.send-timeout (15000 ms)",
                                "= 2013000 ms", "max.poll.interval.ms (300000 ms)"));
    }

    @Test
    void checksTheTransactionTimeoutOnlyWithTransactions() {
        assertThat(PollBudget.violation(100, 256, Duration.ofMillis(500), Duration.ofSeconds(15), 300_000, 60_000L))
                .hasValueSatisfying(message -> assertThat(message).contains("transaction.timeout.ms (60000 ms)"));
        assertThat(PollBudget.violation(100, 256, Duration.ofMillis(500), Duration.ofSeconds(15), 300_000, null))
                .isEmpty();
    }

    @Test
    void countsTheCanarysReferenceRowWhenABatchIsSplitBetweenTwoVersions() {
        // Two groups of a and b rows cost at most one call more than one group of a + b: the second reference row.
        long split = BatchScorer.worstCaseCalls(300, 256) + BatchScorer.worstCaseCalls(200, 256);
        assertThat(split).isLessThanOrEqualTo(BatchScorer.worstCaseCalls(500, 256) + 1);
        assertThat(PollBudget.violation(500, 256, Duration.ofMillis(200), Duration.ofSeconds(15), 300_000, 240_000L,
                true, false)).isEmpty();
        assertThat(PollBudget.violation(500, 256, Duration.ofMillis(200), Duration.ofSeconds(15), 300_000, 214_900L,
                true, false)).hasValueSatisfying(message -> assertThat(message).contains("1000 Predict calls"));
        assertThat(PollBudget.violation(500, 256, Duration.ofMillis(200), Duration.ofSeconds(15), 300_000, 214_900L,
                false, false)).isEmpty();
        // A shadow scores every batch again: 999 more calls, over max.poll.interval.ms at a 200 ms deadline.
        assertThat(PollBudget.violation(500, 256, Duration.ofMillis(200), Duration.ofSeconds(15), 300_000, 600_000L,
                false, true)).hasValueSatisfying(message -> assertThat(message).contains("1998 Predict calls",
                "max.poll.interval.ms"));
    }
}
