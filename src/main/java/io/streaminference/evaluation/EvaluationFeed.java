package io.streaminference.evaluation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Evaluation;
import java.time.Duration;
import java.util.List;
import io.streaminference.delivery.GroupLessReaders;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads the evaluations topic into {@link EvaluationWindows}: every partition (no consumer group — each instance wants
 * all of it), read_committed, starting at most the window size before each partition's end so that a restarted
 * instance has its windows full again at once. Its own thread; every broker call is bounded.
 */
final class EvaluationFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EvaluationFeed.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long RETRY_MS = 2_000;

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final EvaluationWindows windows;
    private final Runnable undecodable;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    EvaluationFeed(Map<String, Object> consumerConfig, String topic, EvaluationWindows windows, Runnable undecodable) {
        this.consumerConfig = GroupLessReaders.config(consumerConfig, "stream-inference-evaluation-feed");
        this.topic = topic;
        this.windows = windows;
        this.undecodable = undecodable;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "evaluation-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = reader;
                if (assign(reader)) {
                    while (running) {
                        for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                            add(record.value());
                        }
                    }
                }
            } catch (WakeupException e) {
                // stop() asked for it
            } catch (RuntimeException e) {
                log.warn("Reading {} failed; the online evaluation retries in {} ms: {}", topic, RETRY_MS,
                        e.toString());
            } finally {
                consumer = null;
            }
            pause();
        }
    }

    /** @return false when the topic does not exist yet */
    private boolean assign(KafkaConsumer<byte[], byte[]> reader) {
        List<PartitionInfo> infos = reader.partitionsFor(topic, CALL_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        reader.assign(partitions);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions, CALL_TIMEOUT);
        Map<TopicPartition, Long> beginnings = reader.beginningOffsets(partitions, CALL_TIMEOUT);
        for (TopicPartition partition : partitions) {
            reader.seek(partition, Math.max(beginnings.get(partition), ends.get(partition) - windows.windowSize()));
        }
        return true;
    }

    private void add(byte[] value) {
        try {
            windows.add(Evaluation.parseFrom(value == null ? new byte[0] : value));
        } catch (InvalidProtocolBufferException e) {
            undecodable.run();
        }
    }

    private void pause() {
        if (running) {
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
