package io.streaminference.testing;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A single-node embedded KRaft broker for tests that create their topics or start apps themselves, configured as
 * {@code @EmbeddedKafka(kraft = true)} configures one: internal topics with one replica, so transactions work.
 */
public final class TestBroker {

    private TestBroker() {
    }

    /** Started; the caller destroys it. */
    public static EmbeddedKafkaKraftBroker start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        // Retention enforced every second, not every five minutes: a topic whose retention deletes what the app still
        // needs (records stamped with an old event time) shows in every run rather than once in a few.
        broker.brokerProperty("log.retention.check.interval.ms", "1000");
        broker.afterPropertiesSet();
        return broker;
    }
}
