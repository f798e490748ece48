package io.streaminference.bench;

import io.streaminference.contract.Features;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The ceiling of the pipeline's topology on this machine: the same three hops (s0 → s1 → s2 → Redis) as plain
 * consumer/producer loops with the app's client settings, poll size, partitions and delivery mode, forwarding
 * records of the real Features and Prediction sizes, and writing each result to Redis in one pipelined round trip
 * per poll — everything the app does except the work itself. Each hop keeps the s0 record's timestamp, so with a
 * {@link LatencyRecorder} it also measures the topology's latency floor: send time to Redis write.
 */
final class NullRelay {

    private static final byte[] FIELD = {'p'};
    /** Header of the s0 send time on s1 and s2, when each hop stamps its own time into the record timestamp. */
    private static final String SENT_AT = "relay-sent-at";

    private final String bootstrap;
    private final boolean exactlyOnce;
    private final int maxPollRecords;
    private final int concurrency;
    private final LatencyRecorder latency;
    /**
     * With {@code latency}, each hop's own time as the app's hops are measured: s0 send → relayed by the first hop
     * (the app: event time → preprocessed), first hop → relayed by the second (preprocessed → predicted, which
     * includes waiting for the first hop's commit), second hop → Redis write (predicted → stored).
     */
    private final LatencyRecorder[] hopLatency = {new LatencyRecorder(), new LatencyRecorder(), new LatencyRecorder()};
    private final AtomicLong stored = new AtomicLong();
    private final List<Thread> hops = new ArrayList<>();
    private final AtomicIntegerArray assigned;
    private volatile boolean running = true;

    /** @param latency records send time → Redis write of every stored record, or null */
    NullRelay(String bootstrap, boolean exactlyOnce, int maxPollRecords, int concurrency, LatencyRecorder latency) {
        this.bootstrap = bootstrap;
        this.exactlyOnce = exactlyOnce;
        this.maxPollRecords = maxPollRecords;
        this.concurrency = concurrency;
        this.latency = latency;
        this.assigned = new AtomicIntegerArray(3 * concurrency);
    }

    /**
     * Relays {@code warmup} records already in {@code topics[0]}, then {@code count} more that {@code measured} makes
     * visible at once; returns events per second of the second part, from {@code measured}'s return (its
     * {@link System#nanoTime()}) to the last write: the JIT has compiled the hot paths by then, as for the app's drain.
     */
    double run(String[] topics, int warmup, int count, LongSupplier measured, RedisConnectionFactory redis,
            Duration limit) throws InterruptedException {
        start(topics, redis);
        long deadline = System.nanoTime() + limit.toNanos();
        awaitStored(warmup, deadline);
        long start = measured.getAsLong();
        awaitStored(warmup + count, deadline);
        long end = System.nanoTime();
        stop();
        return count / ((end - start) / 1e9);
    }

    /** Waits until {@code target} records are in Redis, at most {@code limit}. */
    void awaitStored(long target, Duration limit) throws InterruptedException {
        awaitStored(target, System.nanoTime() + limit.toNanos());
    }

    private void awaitStored(long target, long deadline) throws InterruptedException {
        while (stored.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("relay stored " + stored.get() + " of " + target + " in time");
            }
            Thread.sleep(5);
        }
    }

    long stored() {
        return stored.get();
    }

    /** Clears the per-hop histograms with the end-to-end one, when the timed load starts. */
    void resetHops() {
        for (LatencyRecorder hop : hopLatency) {
            hop.reset();
        }
    }

    /** p50 and p99 of each hop, keyed as the app's hops are in the results: hop_preprocess_p50_ms, … */
    Map<String, String> hopPercentiles() {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        String[] names = {"hop_preprocess", "hop_inference", "hop_sink"};
        for (int i = 0; i < names.length; i++) {
            result.put(names[i] + "_p50_ms", Drain.format(hopLatency[i].quantileMs(0.50)));
            result.put(names[i] + "_p99_ms", Drain.format(hopLatency[i].quantileMs(0.99)));
        }
        return result;
    }

    /** Starts the hops' consumer threads; they relay whatever arrives until {@link #stop()}. */
    void start(String[] topics, RedisConnectionFactory redis) {
        byte[] features = Features.newBuilder().setEventId("evt-0000000000-00000000").setEntityKey("user-00000")
                .setEventTimeMs(System.currentTimeMillis()).setSchemaVersion(1)
                .setSource(SourcePosition.newBuilder().setTopic(topics[0]).setPartition(3).setOffset(123_456))
                .setIngestedAtMs(System.currentTimeMillis()).setPreprocessedAtMs(System.currentTimeMillis())
                .addAllValues(List.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f)).build().toByteArray();
        byte[] prediction = Prediction.newBuilder().setEventId("evt-0000000000-00000000").setEntityKey("user-00000")
                .setEventTimeMs(System.currentTimeMillis()).addScores(0.73f).setLabel("bot")
                .setModelName("clickstream-bot").setModelVersion(1).setIngestedAtMs(System.currentTimeMillis())
                .setPreprocessedAtMs(System.currentTimeMillis()).setPredictedAtMs(System.currentTimeMillis())
                .setSource(SourcePosition.newBuilder().setTopic(topics[0]).setPartition(3).setOffset(123_456))
                .build().toByteArray();
        // As many consumers per hop as the app runs per stage, in one group per hop.
        StringRedisTemplate template = new StringRedisTemplate(redis);
        for (int i = 0; i < concurrency; i++) {
            String suffix = "-" + i;
            int hop = 3 * i;
            hops.add(new Thread(() -> forward(topics[0], topics[1], features, topics[0] + "-relay-1", suffix, hop),
                    "relay-1" + suffix));
            hops.add(new Thread(() -> forward(topics[1], topics[2], prediction, topics[0] + "-relay-2", suffix,
                    hop + 1), "relay-2" + suffix));
            hops.add(new Thread(() -> store(topics[2], template, topics[0] + "-relay-3", hop + 2), "relay-3" + suffix));
        }
        hops.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread hop : hops) {
            hop.join(10_000);
        }
    }

    /**
     * Waits until every consumer holds partitions (all group members have joined), so that an open-loop run
     * measures relaying rather than the initial rebalances.
     */
    void awaitAssigned(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int stableChecks = 0;
        while (stableChecks < 10) { // all assigned for 2 s in a row
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("relay consumers not all assigned within " + limit);
            }
            boolean all = true;
            for (int i = 0; i < assigned.length(); i++) {
                all &= assigned.get(i) == 1;
            }
            stableChecks = all ? stableChecks + 1 : 0;
            Thread.sleep(200);
        }
    }

    private void forward(String from, String to, byte[] value, String group, String suffix, int hop) {
        try (KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(bootstrap, group, maxPollRecords);
                KafkaProducer<byte[], byte[]> producer = BenchClients.producer(bootstrap,
                        exactlyOnce ? group + suffix : null)) {
            consumer.subscribe(List.of(from));
            if (exactlyOnce) {
                producer.initTransactions();
            }
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                assigned.set(hop, consumer.assignment().isEmpty() ? 0 : 1);
                if (records.isEmpty()) {
                    continue;
                }
                if (exactlyOnce) {
                    producer.beginTransaction();
                }
                List<Future<?>> acks = new ArrayList<>(records.count());
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    acks.add(producer.send(latency == null
                            ? new ProducerRecord<>(to, null, record.timestamp(), record.key(), value)
                            : stamped(to, record, value, hop % 3, now)));
                }
                if (exactlyOnce) {
                    producer.sendOffsetsToTransaction(offsets(records), consumer.groupMetadata());
                    producer.commitTransaction();
                } else {
                    for (var ack : acks) {
                        ack.get();
                    }
                    consumer.commitSync(offsets(records));
                }
            }
        } catch (Exception e) {
            if (running) {
                throw new IllegalStateException("relay hop " + from + " → " + to + " failed", e);
            }
        }
    }

    private void store(String from, StringRedisTemplate redis, String group, int hop) {
        try (KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(bootstrap, group, maxPollRecords)) {
            consumer.subscribe(List.of(from));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                assigned.set(hop, consumer.assignment().isEmpty() ? 0 : 1);
                if (records.isEmpty()) {
                    continue;
                }
                redis.executePipelined((RedisCallback<Object>) connection -> {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        connection.hashCommands().hSet(("relay:" + record.partition() + ":" + record.offset())
                                .getBytes(StandardCharsets.UTF_8), FIELD, record.value());
                    }
                    return null;
                });
                if (latency != null) {
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        hopLatency[2].record(now - record.timestamp());
                        latency.record(now - sentAt(record));
                    }
                }
                consumer.commitSync(offsets(records));
                stored.addAndGet(records.count());
            }
        }
    }

    /** The record for the next topic with this hop's time as its timestamp and the s0 send time in a header. */
    private ProducerRecord<byte[], byte[]> stamped(String to, ConsumerRecord<byte[], byte[]> record, byte[] value,
            int stage, long now) {
        hopLatency[stage].record(now - record.timestamp());
        long sentAt = stage == 0 ? record.timestamp() : sentAt(record);
        ProducerRecord<byte[], byte[]> next = new ProducerRecord<>(to, null, now, record.key(), value);
        next.headers().add(SENT_AT, java.nio.ByteBuffer.allocate(Long.BYTES).putLong(sentAt).array());
        return next;
    }

    private static long sentAt(ConsumerRecord<byte[], byte[]> record) {
        var header = record.headers().lastHeader(SENT_AT);
        return header == null ? record.timestamp() : java.nio.ByteBuffer.wrap(header.value()).getLong();
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }
}
