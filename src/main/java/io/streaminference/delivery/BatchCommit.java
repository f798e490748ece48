package io.streaminference.delivery;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a listener's bookkeeping (metrics, the breaker's success) once its batch has really committed. Inside a
 * container's Kafka transaction that is after the commit, which happens after the listener returns and can still
 * fail; {@link DeliveryConfiguration} turns transaction synchronization on so the listener can register for it.
 * Without a transaction the container commits offsets right after the listener returns, and a batch whose offset
 * commit fails is simply consumed again, so the bookkeeping runs at once.
 */
public final class BatchCommit {

    private BatchCommit() {
    }

    public static void afterCommit(Runnable committed, Runnable rolledBack) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            committed.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                (status == STATUS_COMMITTED ? committed : rolledBack).run();
            }
        });
    }
}
