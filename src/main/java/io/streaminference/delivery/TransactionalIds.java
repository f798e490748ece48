package io.streaminference.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The transactional ids of one instance: {@code <prefix><n>} for n in a fixed range. The prefix is unique per
 * instance and stable across its restarts (the pod or host name, or {@code pipeline.kafka.transaction-id-prefix}),
 * and the numbers come from a bounded pool — one id per transaction that can be open at once: one per consumer of
 * each stage. Both matter for a restart after a crash: the restarted instance can name every id its predecessor may
 * have left a transaction open under, and abort them all before its consumers start ({@link TransactionFencing}).
 */
record TransactionalIds(String prefix, int poolSize) {

    /** Transactions one consumer of each of the stages can hold at once: preprocess, inference, and the sink's. */
    static final int STAGES = 3;

    static TransactionalIds of(DeliveryProperties properties, Integer concurrency) {
        String prefix = properties.transactionIdPrefix() == null || properties.transactionIdPrefix().isBlank()
                ? "stream-inference-" + instanceName() + "-" : properties.transactionIdPrefix();
        return new TransactionalIds(prefix, STAGES * (concurrency == null ? 1 : concurrency) + 1);
    }

    /**
     * The ids a predecessor may have used: twice the pool, so that an instance restarted with half its former
     * concurrency still aborts everything its predecessor left open.
     */
    int fencedIds() {
        return 2 * poolSize;
    }

    /**
     * Unique per instance and stable across its restarts: the pod name on Kubernetes, the host name elsewhere. Stable
     * matters: a restarted instance's producers reuse their transactional ids, and initTransactions then aborts the
     * transaction its crashed predecessor left open. A fresh id (say, with the process id in it) would leave that
     * transaction open until transaction.timeout.ms, and read_committed readers would stall behind it. Two instances
     * on one host need explicit, distinct pipeline.kafka.transaction-id-prefix values.
     */
    static String instanceName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "local";
            }
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
