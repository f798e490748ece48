package io.streaminference.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.topics.TopicsProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

class DeadLettersTests {

    private final DeadLetters deadLetters = new DeadLetters(new TopicsProperties("s0", "s1", "s2", "-dlt", 3, (short) 1));

    @Test
    void keepsKeyValueTimestampPartitionAndHeadersAndNamesTheReason() {
        RecordHeaders original = new RecordHeaders();
        original.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>("s1", 2, 41L, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, 3, 5, "key".getBytes(), "value".getBytes(), original, Optional.empty());

        ProducerRecord<byte[], byte[]> letter = deadLetters.of(source, "inference", new Reason("rejected_by_model",
                "model refused the row", IllegalArgumentException.class, Map.of("dlt-model-name", "m")));

        assertThat(letter.topic()).isEqualTo("s1-dlt");
        assertThat(letter.partition()).isEqualTo(2);
        assertThat(letter.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(letter.key()).isEqualTo("key".getBytes());
        assertThat(letter.value()).isEqualTo("value".getBytes());
        assertThat(text(letter, "traceparent")).isEqualTo("00-abc-01");
        assertThat(text(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("s1");
        assertThat(ByteBuffer.wrap(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value()).getInt())
                .isEqualTo(2);
        assertThat(ByteBuffer.wrap(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong())
                .isEqualTo(41L);
        assertThat(text(letter, KafkaHeaders.DLT_EXCEPTION_FQCN)).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(text(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isEqualTo("model refused the row");
        assertThat(text(letter, DeadLetters.STAGE_HEADER)).isEqualTo("inference");
        assertThat(text(letter, DeadLetters.REASON_HEADER)).isEqualTo("rejected_by_model");
        assertThat(text(letter, "dlt-model-name")).isEqualTo("m");
    }

    private static String text(ProducerRecord<byte[], byte[]> record, String header) {
        return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
    }
}
