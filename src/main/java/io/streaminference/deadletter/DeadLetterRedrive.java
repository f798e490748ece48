package io.streaminference.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.topics.TopicsProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Replays dead letters to the topic they came from after a fix: a whole dead-letter topic, one partition, or one
 * partition's offset range. Each letter goes back with its original key, value, timestamp and headers, minus the
 * dead-letter headers; letters whose value was truncated, or whose origin is not a pipeline topic, are skipped.
 *
 * <ul>
 * <li><b>Idempotent:</b> the offsets redriven so far are kept per partition ({@link RedrivenRanges}) in the committed
 * offset metadata of the group {@code <group-id>-redrive}, so requesting a range again — a retried POST, an
 * overlapping range — replays each letter once. Records that fail again return to the dead-letter topic at new
 * offsets and can be redriven from there.</li>
 * <li><b>Streamed:</b> letters are read and replayed in chunks of at most {@value #CHUNK_RECORDS} records and
 * {@value #CHUNK_BYTES} bytes; with exactly-once delivery each chunk and the updated redrive record commit in one
 * transaction. Heap use does not grow with the topic.</li>
 * <li><b>One at a time:</b> a second request while one runs is refused; across instances, the transactional id is
 * the same for every instance, so a second instance's redrive of the same topic fences the first.</li>
 * <li><b>Bounded:</b> it stops after {@code pipeline.redrive.time-limit} with {@code complete = false}; the same
 * request again continues where it stopped.</li>
 * </ul>
 */
public class DeadLetterRedrive {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedrive.class);
    static final int CHUNK_RECORDS = 500;
    static final int CHUNK_BYTES = 8 * 1024 * 1024;
    /** Bound on each metadata, offset and commit call. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final boolean transactional;
    private final TopicsProperties topics;
    private final String group;
    private final Duration timeLimit;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param consumerConfig the app's effective consumer settings (connection, security)
     * @param producerConfig the app's effective producer settings, without a transactional id
     * @param transactional  exactly-once delivery: replays and the redrive record commit together
     * @param group          the app's consumer group id; the redrive's is this plus {@code -redrive}
     */
    public DeadLetterRedrive(Map<String, Object> consumerConfig, Map<String, Object> producerConfig,
            boolean transactional, TopicsProperties topics, String group, Duration timeLimit, MeterRegistry registry) {
        this.consumerConfig = consumerConfig;
        this.producerConfig = producerConfig;
        this.transactional = transactional;
        this.topics = topics;
        this.group = group + "-redrive";
        this.timeLimit = timeLimit;
        Gauge.builder("pipeline.redrive.active", running, r -> r.get() ? 1 : 0)
                .description("1 while a redrive of dead letters runs").register(registry);
    }

    /**
     * @throws InvalidRedriveException when the request names no dead-letter topic of the pipeline, a partition it
     *                                 does not have, or an impossible offset range
     * @throws RedriveBusyException    when a redrive runs already, here or (same topic) in another instance
     */
    public Result redrive(Request request) {
        request.validate(deadLetterTopics());
        if (!running.compareAndSet(false, true)) {
            throw new RedriveBusyException("A redrive is running already; try again when it has finished");
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                KafkaProducer<byte[], byte[]> producer = producer(request.topic())) {
            return new Run(request, consumer, producer).run();
        } catch (ProducerFencedException e) {
            throw new RedriveBusyException("Another instance started a redrive of " + request.topic()
                    + "; this one stopped (what it committed stays redriven)");
        } finally {
            running.set(false);
        }
    }

    private Set<String> deadLetterTopics() {
        return topics.consumed().stream().map(topics::deadLetterOf).collect(java.util.stream.Collectors.toSet());
    }

    private Set<String> sourceTopics() {
        return Set.copyOf(topics.consumed());
    }

    /** One request's work: per partition, the requested offsets not redriven yet, chunk by chunk. */
    private final class Run {

        private final Request request;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaProducer<byte[], byte[]> producer;
        private final long deadline = System.nanoTime() + timeLimit.toNanos();
        private long redriven;
        private long already;
        private long skipped;

        Run(Request request, KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer) {
            this.request = request;
            this.consumer = consumer;
            this.producer = producer;
        }

        Result run() {
            List<TopicPartition> partitions = partitions();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, CALL_TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CALL_TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), CALL_TIMEOUT);
            if (transactional) {
                producer.initTransactions();
            }
            boolean complete = true;
            for (TopicPartition partition : partitions) {
                long from = Math.max(request.fromOffset() == null ? 0 : request.fromOffset(), begin.get(partition));
                long to = Math.min(request.toOffset() == null ? Long.MAX_VALUE : request.toOffset(), end.get(partition) - 1);
                if (from > to) {
                    continue;
                }
                OffsetAndMetadata record = committed.get(partition);
                RedrivenRanges done = RedrivenRanges.parse(record == null ? null : record.metadata());
                already += done.coveredWithin(from, to);
                for (long[] gap : done.missing(from, to)) {
                    complete &= redriveGap(partition, gap[0], gap[1], done);
                }
            }
            log.info("Redrive of {} (partition {}, offsets {}..{}): {} redriven, {} redriven before, {} skipped{}",
                    request.topic(), request.partition() == null ? "all" : request.partition(), request.fromOffset(),
                    request.toOffset(), redriven, already, skipped, complete ? "" : ", stopped at the time limit");
            return new Result(request.topic(), redriven, already, skipped, complete);
        }

        private List<TopicPartition> partitions() {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(request.topic(), CALL_TIMEOUT)) {
                if (request.partition() == null || request.partition() == info.partition()) {
                    partitions.add(new TopicPartition(request.topic(), info.partition()));
                }
            }
            if (partitions.isEmpty()) {
                throw new InvalidRedriveException("partition " + request.partition() + " does not exist in "
                        + request.topic());
            }
            return partitions;
        }

        /** @return false when the time limit stopped it */
        private boolean redriveGap(TopicPartition partition, long from, long to, RedrivenRanges done) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            long coveredFrom = from;
            List<ProducerRecord<byte[], byte[]>> chunk = new ArrayList<>();
            int chunkBytes = 0;
            while (consumer.position(partition, CALL_TIMEOUT) <= to) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                long lastOffset = coveredFrom - 1;
                for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(500))) {
                    if (letter.offset() > to) {
                        break;
                    }
                    ProducerRecord<byte[], byte[]> replay = replayOf(letter);
                    if (replay == null) {
                        skipped++;
                    } else {
                        chunk.add(replay);
                        chunkBytes += size(letter.key()) + size(letter.value());
                    }
                    lastOffset = letter.offset();
                    if (chunk.size() >= CHUNK_RECORDS || chunkBytes >= CHUNK_BYTES) {
                        commit(partition, chunk, done, coveredFrom, lastOffset);
                        coveredFrom = lastOffset + 1;
                        chunk.clear();
                        chunkBytes = 0;
                    }
                }
                // Offsets up to the position that hold no visible record (aborted or transaction markers) count too.
                long covered = Math.min(to, Math.max(lastOffset, consumer.position(partition, CALL_TIMEOUT) - 1));
                if (covered >= coveredFrom) {
                    commit(partition, chunk, done, coveredFrom, covered);
                    coveredFrom = covered + 1;
                    chunk.clear();
                    chunkBytes = 0;
                }
            }
            return true;
        }

        /** Replays one chunk and records {@code from..to} as redriven: in one transaction with exactly-once. */
        private void commit(TopicPartition partition, List<ProducerRecord<byte[], byte[]>> chunk, RedrivenRanges done,
                long from, long to) {
            done.add(from, to);
            String metadata = done.format();
            if (metadata.length() > RedrivenRanges.MAX_FORMATTED_LENGTH) {
                throw new InvalidRedriveException("Partition " + partition + " has too many separate redriven ranges "
                        + "to record; redrive the gaps between them first");
            }
            Map<TopicPartition, OffsetAndMetadata> record = Map.of(partition, new OffsetAndMetadata(done.next(), metadata));
            if (transactional) {
                producer.beginTransaction();
                try {
                    sendAll(chunk);
                    producer.sendOffsetsToTransaction(record, consumer.groupMetadata());
                    producer.commitTransaction();
                } catch (ProducerFencedException e) {
                    throw e;
                } catch (RuntimeException e) {
                    producer.abortTransaction();
                    throw e;
                }
            } else {
                sendAll(chunk);
                consumer.commitSync(record, CALL_TIMEOUT);
            }
            redriven += chunk.size();
        }

        private void sendAll(List<ProducerRecord<byte[], byte[]>> chunk) {
            List<Future<?>> acks = new ArrayList<>(chunk.size());
            for (ProducerRecord<byte[], byte[]> replay : chunk) {
                acks.add(producer.send(replay));
            }
            try {
                for (Future<?> ack : acks) {
                    ack.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException kafka ? kafka
                        : new KafkaException("Replaying dead letters failed", e.getCause());
            } catch (TimeoutException e) {
                throw new KafkaException("The broker did not acknowledge replayed dead letters within " + CALL_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("Interrupted while replaying dead letters", e);
            }
        }
    }

    /** @return the record for its original topic, or null when it cannot be replayed */
    private ProducerRecord<byte[], byte[]> replayOf(ConsumerRecord<byte[], byte[]> letter) {
        String origin = text(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC));
        if (origin == null || !sourceTopics().contains(origin)
                || letter.headers().lastHeader(DeadLetters.VALUE_TRUNCATED_HEADER) != null) {
            return null;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith("kafka_dlt-") && !header.key().startsWith("dlt-")) {
                headers.add(header);
            }
        }
        Header original = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP);
        long timestamp = original != null && original.value().length == Long.BYTES
                ? ByteBuffer.wrap(original.value()).getLong() : letter.timestamp();
        return new ProducerRecord<>(origin, null, timestamp >= 0 ? timestamp : null, letter.key(), letter.value(),
                headers);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, CHUNK_RECORDS);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, CHUNK_BYTES);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, CHUNK_BYTES);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer(String deadLetterTopic) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-" + deadLetterTopic);
        if (transactional) {
            // The same id in every instance: a second instance's redrive of this topic fences this one.
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-" + deadLetterTopic);
        }
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static String text(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * What to redrive.
     *
     * @param partition  one partition, or null for all
     * @param fromOffset first offset (inclusive), or null for the beginning
     * @param toOffset   last offset (inclusive), or null for the end as of now
     */
    public record Request(String topic, Integer partition, Long fromOffset, Long toOffset) {

        void validate(Set<String> deadLetterTopics) {
            if (topic == null || !deadLetterTopics.contains(topic)) {
                throw new InvalidRedriveException("topic must be one of " + new java.util.TreeSet<>(deadLetterTopics));
            }
            if (partition != null && partition < 0) {
                throw new InvalidRedriveException("partition must be 0 or more");
            }
            if ((fromOffset != null && fromOffset < 0) || (toOffset != null && toOffset < 0)) {
                throw new InvalidRedriveException("fromOffset and toOffset must be 0 or more");
            }
            if (fromOffset != null && toOffset != null && fromOffset > toOffset) {
                throw new InvalidRedriveException("fromOffset must not be after toOffset");
            }
        }
    }

    /**
     * What a redrive did.
     *
     * @param redriven        letters replayed by this request
     * @param alreadyRedriven offsets of the range that earlier requests had redriven
     * @param skipped         letters that cannot be replayed (truncated, or from a topic that is not the pipeline's)
     * @param complete        false when the time limit stopped it; the same request again continues
     */
    public record Result(String topic, long redriven, long alreadyRedriven, long skipped, boolean complete) {
    }

    /** The request cannot be served as asked; answered 400. */
    public static final class InvalidRedriveException extends RuntimeException {
        InvalidRedriveException(String message) {
            super(message);
        }
    }

    /** Another redrive runs; answered 409. */
    public static final class RedriveBusyException extends RuntimeException {
        RedriveBusyException(String message) {
            super(message);
        }
    }
}
