package io.streaminference.inference;

import java.time.Duration;
import java.util.Optional;

/**
 * The worst-case work of one poll must end before the broker gives up on the consumer (max.poll.interval.ms) and,
 * with transactions, before the transaction times out. Refused rows come back at once and a call that reaches its
 * deadline fails the batch at once, so one poll costs at most max-poll-records × deadline of Predict (one call per
 * row, the bisection worst case) plus the send timeout; retries happen in later polls, so attempts per poll is 1.
 */
final class PollBudget {

    private PollBudget() {
    }

    /** @return why the settings are unsafe, naming the properties, or empty when they are safe */
    static Optional<String> violation(int maxPollRecords, Duration deadline, Duration sendTimeout,
            long maxPollIntervalMs, Long transactionTimeoutMs) {
        long budgetMs = maxPollRecords * deadline.toMillis() + sendTimeout.toMillis();
        String work = "spring.kafka.consumer.max-poll-records (" + maxPollRecords + ") x pipeline.inference.deadline ("
                + deadline.toMillis() + " ms) + pipeline.kafka.send-timeout (" + sendTimeout.toMillis() + " ms) = "
                + budgetMs + " ms";
        if (budgetMs >= maxPollIntervalMs) {
            return Optional.of(work + " must stay below spring.kafka.consumer.properties.max.poll.interval.ms ("
                    + maxPollIntervalMs + " ms); lower the first three or raise the last");
        }
        if (transactionTimeoutMs != null && budgetMs >= transactionTimeoutMs) {
            return Optional.of(work + " must stay below spring.kafka.producer.properties.transaction.timeout.ms ("
                    + transactionTimeoutMs + " ms); lower the first three or raise the last");
        }
        return Optional.empty();
    }
}
