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

    private final DeadLetters deadLetters = new DeadLetters(new TopicsProperties("s0", "s1", "s2", "s1-sessions", "s2-sessions", "labels", "evaluations", "s2-shadow", "-dlt", 3, (short) 1, null),
            1_048_576);

    @Test
    void keepsKeyValueTimestampAndHeadersAndNamesTheReasonAndTheOrigin() {
        RecordHeaders original = new RecordHeaders();
        original.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>("s1", 2, 41L, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, 3, 5, "key".getBytes(), "value".getBytes(), original, Optional.empty());

        ProducerRecord<byte[], byte[]> letter = deadLetters.of(source, "inference", new Reason("rejected_by_model",
                "model refused the row", IllegalArgumentException.class, Map.of("dlt-model-name", "m")));

        assertThat(letter.topic()).isEqualTo("s1-dlt");
        assertThat(letter.partition()).as("the key picks it: the source's partition may not exist in the DLT").isNull();
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

    @Test
    void keepsOnlyAsMuchOfAValueAsTheProducerCanSendAndSaysSo() {
        DeadLetters small = new DeadLetters(new TopicsProperties("s0", "s1", "s2", "s1-sessions", "s2-sessions", "labels", "evaluations", "s2-shadow", "-dlt", 3, (short) 1, null), 20_000);
        byte[] huge = new byte[200_000];
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>("s0", 0, 7L, "k".getBytes(), huge);

        ProducerRecord<byte[], byte[]> letter = small.of(source, "preprocess", new Reason("too_large", "too large",
                IllegalArgumentException.class));

        assertThat(letter.value().length).isLessThanOrEqualTo(20_000 - DeadLetters.RECORD_OVERHEAD_BYTES);
        assertThat(text(letter, DeadLetters.VALUE_TRUNCATED_HEADER)).isEqualTo("200000");
        assertThat(text(letter, DeadLetters.REASON_HEADER)).isEqualTo("too_large");
    }

    @Test
    void keepsAValueThatFitsWhole() {
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>("s0", 0, 7L, "k".getBytes(), new byte[60_000]);
        ProducerRecord<byte[], byte[]> letter = deadLetters.of(source, "preprocess", new Reason("not_json", "x",
                IllegalArgumentException.class));
        assertThat(letter.value()).hasSize(60_000);
        assertThat(letter.headers().lastHeader(DeadLetters.VALUE_TRUNCATED_HEADER)).isNull();
    }

    private static String text(ProducerRecord<byte[], byte[]> record, String header) {
        return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
    }
}
