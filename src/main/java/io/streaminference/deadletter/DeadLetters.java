package io.streaminference.deadletter;

import io.streaminference.topics.TopicsProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Builds the dead-letter record for a record that can never be processed: original key, value, timestamp and headers, into
 * {@code <source>-dlt} on the same partition, with Spring Kafka's standard {@code kafka_dlt-*} headers (same
 * encodings, so Spring tooling reads them) plus {@code dlt-stage}, {@code dlt-reason} and any context headers.
 */
public final class DeadLetters {

    public static final String STAGE_HEADER = "dlt-stage";
    public static final String REASON_HEADER = "dlt-reason";

    private final TopicsProperties topics;

    public DeadLetters(TopicsProperties topics) {
        this.topics = topics;
    }

    public ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> source, String stage, Reason reason) {
        Headers headers = new RecordHeaders();
        for (Header header : source.headers()) {
            headers.add(header);
        }
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(source.topic()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(source.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(source.offset()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(source.timestamp()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE, utf8(source.timestampType().toString()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(reason.errorType().getName()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(reason.detail()));
        headers.add(STAGE_HEADER, utf8(stage));
        headers.add(REASON_HEADER, utf8(reason.code()));
        for (Map.Entry<String, String> entry : reason.context().entrySet()) {
            headers.add(entry.getKey(), utf8(entry.getValue()));
        }
        Long timestamp = source.timestamp() >= 0 ? source.timestamp() : null;
        return new ProducerRecord<>(topics.deadLetterOf(source.topic()), source.partition(), timestamp,
                source.key(), source.value(), headers);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
