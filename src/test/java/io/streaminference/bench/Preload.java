package io.streaminference.bench;

import io.streaminference.demo.ClickstreamSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates a topic and fills it with generated, valid demo events (the same traffic the local stack sends). */
final class Preload {

    /** One transaction holds a whole measured drain (1,000,000 events in about 15 s here); the broker allows 15 min. */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(5);
    /** Faster than any drain, so that preloaded event time runs ahead of the wall clock, never behind it. */
    static final double SIMULATED_RATE = 20_000;

    private Preload() {
    }

    static void createTopics(String bootstrap, int partitions, String... topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Sends {@code count} events in one transaction and returns {@link System#nanoTime()} after its commit:
     * read_committed consumers see none of them until then, so a warm, idle pipeline starts on the whole backlog at
     * once and the preload's own work is not in the timed window.
     */
    static long loadAtOnce(String bootstrap, String topic, int count, long seed) {
        try (KafkaProducer<byte[], byte[]> producer = BenchClients.producer(bootstrap, "bench-preload-" + topic,
                TRANSACTION_TIMEOUT)) {
            producer.initTransactions();
            producer.beginTransaction();
            AtomicLong failures = sendAll(producer, topic, count, seed);
            producer.commitTransaction(); // flushes first, and throws if a send failed
            requireNone(failures, topic);
            return System.nanoTime();
        }
    }

    /** Sends {@code count} events with event times from now on, waits for every acknowledgement, returns the seconds taken. */
    static double load(String bootstrap, String topic, int count, long seed) {
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = BenchClients.producer(bootstrap, null)) {
            AtomicLong failures = sendAll(producer, topic, count, seed);
            producer.flush();
            requireNone(failures, topic);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static AtomicLong sendAll(KafkaProducer<byte[], byte[]> producer, String topic, int count, long seed) {
        // Event times from now at SIMULATED_RATE: visitors keep their own timing, so sessions open and close as they
        // would live, and a later preload's events are never behind an earlier one's (the session stage would
        // count them as late).
        ClickstreamSimulator simulator = new ClickstreamSimulator(seed, System.currentTimeMillis(), SIMULATED_RATE, 0);
        AtomicLong failures = new AtomicLong();
        for (int i = 0; i < count; i++) {
            BenchClients.send(producer, topic, simulator.next(), failures);
        }
        return failures;
    }

    // Counted, not thrown from the send callback: the producer catches and only logs what a callback throws.
    private static void requireNone(AtomicLong failures, String topic) {
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " preload sends to " + topic + " failed");
        }
    }
}
