package io.streaminference.delivery;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a stage's listener reports about each batch attempt: to the stage's metrics, and to whoever watches the
 * stage's dependencies (its circuit breaker). A failed attempt counts at once; a good one only once its batch has
 * committed ({@link BatchCommit}), and a commit that fails counts as a failed attempt.
 */
public final class BatchReporting {

    private final StageMetrics metrics;
    private final Runnable succeeded;
    private final Consumer<Throwable> failed;

    /**
     * @param succeeded told when a batch committed
     * @param failed    told when an attempt failed, with the cause
     */
    public BatchReporting(StageMetrics metrics, Runnable succeeded, Consumer<Throwable> failed) {
        this.metrics = metrics;
        this.succeeded = succeeded;
        this.failed = failed;
    }

    public void attemptFailed(int records, Throwable cause) {
        metrics.retried(records);
        failed.accept(cause);
    }

    /** Counts {@code output} and reports success once the batch has committed; {@code alsoOnCommit} runs then too. */
    public void afterCommit(StageOutput output, int records, Runnable alsoOnCommit) {
        afterCommit(output, records, alsoOnCommit, () -> PublishException.notCommitted(output.records()));
    }

    /** As {@link #afterCommit(StageOutput, int, Runnable)}; a commit that fails is reported as {@code notCommitted}. */
    public void afterCommit(StageOutput output, int records, Runnable alsoOnCommit,
            Supplier<PublishException> notCommitted) {
        BatchCommit.afterCommit(() -> {
            metrics.completed(output);
            succeeded.run();
            alsoOnCommit.run();
        }, () -> attemptFailed(records, notCommitted.get()));
    }

    public void afterCommit(StageOutput output, int records) {
        afterCommit(output, records, () -> { });
    }
}
