package io.streaminference.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.kafka.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.transaction.KafkaTransactionManager;

/**
 * How a batch becomes durable, by {@code pipeline.kafka.delivery}.
 *
 * <p><b>exactly-once</b> (default): each batch of preprocess and inference runs in a Kafka transaction started by the
 * listener container; the records it produces (next topic and dead letters) and its consumed offsets commit
 * together, and every reader uses read_committed. (The sink's container runs none: {@link StoreListenerConfiguration}.)
 * No CommonErrorHandler is registered on purpose: with a transaction manager Spring Kafka would still call one, and a
 * recovering DefaultErrorHandler commits offsets outside the transaction. A failed batch is rolled back and handed to
 * the after-rollback processor, which seeks back and waits with jittered exponential back-off (Spring's default is
 * 0 ms, a hot loop) before the next poll redelivers it. Batch listeners cannot "recover" a record there, so nothing
 * is ever skipped: permanently bad records are dead-lettered by the stages.
 *
 * <p><b>at-least-once</b>: no transactions; offsets are committed after the batch's output is acknowledged, and a
 * failed batch is retried in place by a DefaultErrorHandler with the same back-off, without limit.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliveryConfiguration.class);
    static final long INITIAL_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 5_000;

    /** Transactional producers, the transaction manager the containers start batches with, and rollback back-off. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(DeliveryMode.ExactlyOnce.class)
    static class ExactlyOnce {

        @Bean
        DefaultKafkaProducerFactoryCustomizer transactionalProducers(DeliveryProperties properties) {
            String prefix = properties.transactionIdPrefix() == null || properties.transactionIdPrefix().isBlank()
                    ? "stream-inference-" + instanceName() + "-" : properties.transactionIdPrefix();
            log.info("Exactly-once delivery: transactional id prefix {}", prefix);
            return factory -> factory.setTransactionIdPrefix(prefix);
        }

        /**
         * With transaction synchronization on (Spring Kafka turns it off by default), a listener can run its bookkeeping
         * after its batch's commit: {@link BatchCommit}.
         */
        @Bean
        KafkaTransactionManager<?, ?> kafkaTransactionManager(ProducerFactory<?, ?> producerFactory) {
            KafkaTransactionManager<?, ?> manager = new KafkaTransactionManager<>(producerFactory);
            manager.setTransactionSynchronization(KafkaTransactionManager.SYNCHRONIZATION_ALWAYS);
            return manager;
        }

        @Bean
        DefaultAfterRollbackProcessor<Object, Object> rolledBackBatchBackOff() {
            return new DefaultAfterRollbackProcessor<>(new JitteredBackOff(INITIAL_BACKOFF_MS, MAX_BACKOFF_MS));
        }
    }

    /** In-place retry of a failed batch; offsets are committed by the container after the listener returns. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(DeliveryMode.AtLeastOnce.class)
    static class AtLeastOnce {

        @Bean
        DefaultErrorHandler failedBatchRetry() {
            return retryWithoutLimit();
        }
    }

    /** Retries a failed batch in place with jittered back-off until it succeeds; never skips a record. */
    static DefaultErrorHandler retryWithoutLimit() {
        DefaultErrorHandler handler = new DefaultErrorHandler((record, e) -> {
            throw new IllegalStateException("Refusing to skip " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " after a transient failure", e);
        }, new JitteredBackOff(INITIAL_BACKOFF_MS, MAX_BACKOFF_MS));
        // Spring's defaults treat some exceptions as not retryable and would hand the batch to the recoverer.
        handler.setClassifications(Map.of(), true);
        return handler;
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
