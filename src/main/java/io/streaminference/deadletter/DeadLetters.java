package io.streaminference.deadletter;

import io.streaminference.topics.TopicsProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Builds the dead-letter record for a record that can never be processed: original key, value, timestamp and
 * headers, into {@code <source>-dlt}, with Spring Kafka's standard {@code kafka_dlt-*} headers (same encodings, so
 * Spring tooling reads them; the original partition and offset are among them) plus {@code dlt-stage},
 * {@code dlt-reason} and any context headers.
 *
 * <p>A dead letter must always be writable, or its partition would be held forever: the producer picks its
 * partition by key (the source's partition number may not exist in the dead-letter topic), and a record too large
 * for the producer's {@code max.request.size} keeps only as much of its value as fits, with
 * {@value #VALUE_TRUNCATED_HEADER} giving the original size (such a letter cannot be redriven).
 */
public final class DeadLetters {

    public static final String STAGE_HEADER = "dlt-stage";
    public static final String REASON_HEADER = "dlt-reason";
    public static final String VALUE_TRUNCATED_HEADER = "dlt-value-truncated";
    /**
     * Room kept for the record's own framing and the headers added here, besides the original headers measured: a
     * record whose key, value and headers need more than {@code max.request.size} minus this is truncated.
     */
    static final int RECORD_OVERHEAD_BYTES = 8 * 1024;

    private final TopicsProperties topics;
    private final int maxRecordBytes;

    /** @param maxRecordBytes the producer's effective {@code max.request.size} */
    public DeadLetters(TopicsProperties topics, int maxRecordBytes) {
        this.topics = topics;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The largest value a dead letter carries whole, with a key and headers of {@code otherBytes}. */
    public int wholeValueLimit(int otherBytes) {
        return maxRecordBytes - RECORD_OVERHEAD_BYTES - otherBytes;
    }

    public ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> source, String stage, Reason reason) {
        Headers headers = new RecordHeaders();
        int headerBytes = 0;
        for (Header header : source.headers()) {
            headers.add(header);
            headerBytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(source.topic()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(source.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(source.offset()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(source.timestamp()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE, utf8(source.timestampType().toString()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(reason.errorType().getName()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(clip(reason.detail())));
        headers.add(STAGE_HEADER, utf8(stage));
        headers.add(REASON_HEADER, utf8(reason.code()));
        for (Map.Entry<String, String> entry : reason.context().entrySet()) {
            headers.add(entry.getKey(), utf8(entry.getValue()));
        }
        byte[] key = source.key();
        byte[] value = source.value();
        int room = wholeValueLimit(headerBytes + (key == null ? 0 : key.length));
        if (value != null && value.length > room) {
            headers.add(VALUE_TRUNCATED_HEADER, utf8(Integer.toString(value.length)));
            value = Arrays.copyOf(value, Math.max(0, room));
            if (room < 0 && key != null) {
                // A key larger than a request: keep what fits of it too; the letter still says where it came from.
                key = Arrays.copyOf(key, Math.max(0, key.length + room));
            }
        }
        Long timestamp = source.timestamp() >= 0 ? source.timestamp() : null;
        return new ProducerRecord<>(topics.deadLetterOf(source.topic()), null, timestamp, key, value, headers);
    }

    /** A detail is for people; a few hundred characters say what is wrong. */
    private static String clip(String detail) {
        return detail.length() <= 1024 ? detail : detail.substring(0, 1024) + "…";
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
