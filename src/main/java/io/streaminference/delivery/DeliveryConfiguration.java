package io.streaminference.delivery;

import io.streaminference.roles.ConditionalOnRoleUsing;
import io.streaminference.roles.Role;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.kafka.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultTransactionIdSuffixStrategy;
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
    @ConditionalOnRoleUsing(Role.Service.KAFKA)
    static class ExactlyOnce {

        @Bean
        TransactionalIds transactionalIds(DeliveryProperties properties, KafkaProperties kafka) {
            TransactionalIds ids = TransactionalIds.of(properties, kafka.getListener().getConcurrency());
            log.info("Exactly-once delivery: transactional ids {}0..{}", ids.prefix(), ids.poolSize() - 1);
            return ids;
        }

        /** Ids from a bounded pool, reused, so that a restart can name every id a predecessor used. */
        @Bean
        DefaultKafkaProducerFactoryCustomizer transactionalProducers(TransactionalIds ids) {
            return factory -> {
                factory.setTransactionIdPrefix(ids.prefix());
                factory.setTransactionIdSuffixStrategy(new DefaultTransactionIdSuffixStrategy(ids.poolSize()));
            };
        }

        @Bean
        TransactionFencing transactionFencing(ProducerFactory<?, ?> producers, TransactionalIds ids) {
            return new TransactionFencing(producers.getConfigurationProperties(), ids);
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
}
