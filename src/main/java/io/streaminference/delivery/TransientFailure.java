package io.streaminference.delivery;

/**
 * Marks a failure that the stage waits out — its batch is rolled back and retried, its breaker pauses the stage —
 * and that says nothing wrong about the records: a dependency that is down or slow, or a request it refuses. The
 * breaker logs the first one of an outage at WARN; {@link TransientRollbackLogFilter} keeps the listener container
 * from logging an ERROR with a stack trace for every retried batch.
 */
public interface TransientFailure {
}
