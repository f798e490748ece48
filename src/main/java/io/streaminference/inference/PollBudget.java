package io.streaminference.inference;

import java.time.Duration;
import java.util.Optional;

/**
 * The worst-case work of one poll of s1 must end before the broker gives up on the consumer
 * ({@code max.poll.interval.ms}) and, with transactions, before the batch's transaction times out. A call that reaches
 * its deadline fails the batch at once, so one poll costs at most {@link BatchScorer#worstCaseCalls} Predict calls
 * that each answer just inside the deadline (every row refused and split down to single rows), plus the send timeout
 * for its output. Retries happen in later polls, so one poll makes one attempt.
 */
final class PollBudget {

    private PollBudget() {
    }

    /**
     * @param transactionTimeoutMs null without transactions
     * @return why the settings are unsafe, naming the properties, or empty when they are safe
     */
    static Optional<String> violation(int maxPollRecords, int maxBatchSize, Duration deadline, Duration sendTimeout,
            long maxPollIntervalMs, Long transactionTimeoutMs) {
        return violation(maxPollRecords, maxBatchSize, deadline, sendTimeout, maxPollIntervalMs, transactionTimeoutMs,
                false, false);
    }

    /**
     * @param canary whether a stage splits its batches between a stable and a canary version: the two groups' chunks
     *               and splits add up to at most the batch's, plus the canary's own reference row
     * @param shadow whether a stage scores every batch again with a shadow version: as many calls again
     */
    static Optional<String> violation(int maxPollRecords, int maxBatchSize, Duration deadline, Duration sendTimeout,
            long maxPollIntervalMs, Long transactionTimeoutMs, boolean canary, boolean shadow) {
        long served = BatchScorer.worstCaseCalls(maxPollRecords, maxBatchSize) + (canary ? 1 : 0);
        long calls = served + (shadow ? BatchScorer.worstCaseCalls(maxPollRecords, maxBatchSize) : 0);
        long budgetMs = calls * deadline.toMillis() + sendTimeout.toMillis();
        String work = "one poll of max.poll.records (" + maxPollRecords + ") rows can cost " + calls
                + " Predict calls (chunks of pipeline.inference.max-batch-size " + maxBatchSize
                + ", the reference row, and every refused chunk split down to single rows) x pipeline.inference.deadline ("
                + deadline.toMillis() + " ms) + pipeline.kafka.send-timeout (" + sendTimeout.toMillis() + " ms) = "
                + budgetMs + " ms";
        if (budgetMs >= maxPollIntervalMs) {
            return Optional.of(work + ", which must stay below max.poll.interval.ms (" + maxPollIntervalMs
                    + " ms); lower max.poll.records or the deadline, or raise max.poll.interval.ms");
        }
        if (transactionTimeoutMs != null && budgetMs >= transactionTimeoutMs) {
            return Optional.of(work + ", which must stay below the producer's transaction.timeout.ms ("
                    + transactionTimeoutMs + " ms); lower max.poll.records or the deadline, or raise "
                    + "transaction.timeout.ms");
        }
        return Optional.empty();
    }
}
