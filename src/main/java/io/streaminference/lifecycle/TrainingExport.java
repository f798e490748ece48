package io.streaminference.lifecycle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Features;
import io.streaminference.contract.Label;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.delivery.GroupLessReaders;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Training data from what the stream already holds: the events of s1 (and the final sessions of s1-sessions) whose
 * records fall in a time range, joined with their labels from the labels topic, written as TFRecord files of
 * {@code tf.train.Example} ({@link TrainingExamples}): {@code events.tfrecord} and {@code sessions.tfrecord}, with
 * {@code export.json} saying what they hold (range, counts, schema versions). Reads
 * every partition with read_committed, up to the end each had when the export began; every broker call is bounded.
 */
final class TrainingExport {

    /**
     * @param events        labelled events written
     * @param sessions      labelled sessions written
     * @param eventsRead    events of the range read (labelled or not)
     * @param sessionsRead  final sessions of the range read
     * @param labels        labels read
     */
    record Result(long events, long sessions, long eventsRead, long sessionsRead, long labels) {
    }

    /** The topics and the positive class of each model, as the app's configuration names them. */
    record Settings(String features, String sessions, String labels, String positiveEvent, String positiveSession) {
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(500);
    /** A topic read that makes no progress for this long (a broker gone) ends the export with an error. */
    private static final Duration STALL = Duration.ofMinutes(2);

    private final Map<String, Object> consumerConfig;
    private final Settings settings;

    TrainingExport(Map<String, Object> consumerConfig, Settings settings) {
        this.consumerConfig = GroupLessReaders.config(consumerConfig, "stream-inference-training-export");
        this.settings = settings;
    }

    /** Labels may come long after their event, so they are read from {@code from} to their topic's end. */
    Result export(Instant from, Instant to, Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<String, Label> eventLabels = new HashMap<>();
        Map<String, Label> sessionLabels = new HashMap<>();
        long labels = read(settings.labels(), from, Instant.MAX, (key, value) -> {
            Label label = Label.parseFrom(value);
            if (label.hasEventId()) {
                eventLabels.put(label.getEventId(), label);
            } else if (label.hasSessionId()) {
                sessionLabels.put(label.getSessionId(), label);
            }
        });
        long[] written = new long[2];
        long eventsRead;
        try (TfRecordWriter out = writer(directory.resolve("events.tfrecord"))) {
            eventsRead = read(settings.features(), from, to, (key, value) -> {
                Features event = Features.parseFrom(value);
                Label label = eventLabels.get(event.getEventId());
                if (label != null) {
                    out.write(TrainingExamples.event(event, label, settings.positiveEvent()).toByteArray());
                }
            });
            written[0] = out.records();
        }
        long sessionsRead;
        try (TfRecordWriter out = writer(directory.resolve("sessions.tfrecord"))) {
            sessionsRead = read(settings.sessions(), from, to, (key, value) -> {
                SessionFeatures session = SessionFeatures.parseFrom(value);
                Label label = sessionLabels.get(session.getSessionId());
                if (session.getFinal() && label != null) {
                    out.write(TrainingExamples.session(session, label, settings.positiveSession()).toByteArray());
                }
            });
            written[1] = out.records();
        }
        Result result = new Result(written[0], written[1], eventsRead, sessionsRead, labels);
        // What the files hold, for the trainer to record in the model it exports.
        Map<String, Object> manifest = new java.util.LinkedHashMap<>();
        manifest.put("from", from.toString());
        manifest.put("to", to.toString());
        manifest.put("exported_at", Instant.now().toString());
        manifest.put("events", result.events());
        manifest.put("sessions", result.sessions());
        manifest.put("event_schema_version", io.streaminference.contract.FeatureSchema.VERSION);
        manifest.put("session_schema_version", io.streaminference.contract.SessionSchema.VERSION);
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValue(directory.resolve("export.json").toFile(), manifest);
        return result;
    }

    @FunctionalInterface
    private interface RecordHandler {
        void accept(byte[] key, byte[] value) throws IOException;
    }

    /** @return records of the range handled; a value that does not decode is skipped (its stage dead-letters it) */
    private long read(String topic, Instant from, Instant to, RecordHandler handler) throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, CALL_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, CALL_TIMEOUT);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, CALL_TIMEOUT);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
            }
            long handled = 0;
            long lastProgress = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p, CALL_TIMEOUT) < ends.get(p))) {
                var records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IOException("Reading " + topic + " made no progress for " + STALL.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))
                            || record.value() == null || !Instant.ofEpochMilli(record.timestamp()).isBefore(to)) {
                        continue;
                    }
                    try {
                        handler.accept(record.key(), record.value());
                        handled++;
                    } catch (InvalidProtocolBufferException e) {
                        // Undecodable: the stage that reads the topic dead-letters it; training data leaves it out.
                    }
                }
            }
            return handled;
        }
    }

    private static TfRecordWriter writer(Path file) throws IOException {
        return new TfRecordWriter(new BufferedOutputStream(Files.newOutputStream(file)));
    }
}
