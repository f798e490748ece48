package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.contract.Features;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.deadletter.Reason;
import io.streaminference.topics.TopicsProperties;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterEntriesTests {

    static final TopicsProperties TOPICS = new TopicsProperties("s0", "s1", "s2", "s1-sessions", "s2-sessions", "labels", "evaluations", "s2-shadow", "-dlt",
            2, (short) 1, null);
    static final DeadLetters LETTERS = new DeadLetters(TOPICS, 1024 * 1024);
    static final DeadLetterEntries ENTRIES = new DeadLetterEntries(TOPICS);

    @Test
    void readsTheEventIdStageReasonAndOriginOfAJsonEventsDeadLetter() {
        byte[] value = "{\"user_id\":\"u\",\"event_id\":\"e-1\",\"path\":\"/<b>\",\"status\":700}"
                .getBytes(StandardCharsets.UTF_8);
        DeadLetterEntry entry = ENTRIES.of(deadLetter("s0", 3, 42, "u".getBytes(StandardCharsets.UTF_8), value), 9L);

        assertThat(entry.id()).isEqualTo("e-1");
        assertThat(entry.key()).isEqualTo("u");
        assertThat(entry.topic()).isEqualTo("s0-dlt");
        assertThat(entry.sourceTopic()).isEqualTo("s0");
        assertThat(entry.sourcePartition()).isEqualTo(3);
        assertThat(entry.sourceOffset()).isEqualTo(42);
        assertThat(entry.stage()).isEqualTo("preprocess");
        assertThat(entry.reason()).isEqualTo("out_of_range");
        assertThat(entry.detail()).isEqualTo("status 700");
        assertThat(entry.preview()).contains("/<b>");
        assertThat(entry.deadLetteredAt()).isEqualTo(9L);
    }

    @Test
    void readsTheIdOfAProtobufDeadLetterAndPreviewsItAsText() {
        byte[] value = Features.newBuilder().setEventId("e-2").setEntityKey("u").addValues(Float.NaN).build()
                .toByteArray();
        DeadLetterEntry entry = ENTRIES.of(deadLetter("s1", 0, 1, null, value), 0);

        assertThat(entry.id()).isEqualTo("e-2");
        assertThat(entry.key()).isNull();
        assertThat(entry.preview()).startsWith("Features {").contains("e-2");
    }

    @Test
    void aValueWithoutAReadableIdIsStillLoggedAndBinaryIsDescribedNotShown() {
        // Broken JSON whose id comes before the break still names it: the journey of "oops" shows why.
        assertThat(ENTRIES.of(deadLetter("s0", 0, 0, null, "{\"event_id\": \"oops\"".getBytes(StandardCharsets.UTF_8)),
                0).id()).isEqualTo("oops");
        assertThat(ENTRIES.of(deadLetter("s0", 0, 0, null, "[\"event_id\", \"x\"]".getBytes(StandardCharsets.UTF_8)),
                0).id()).isNull();
        assertThat(ENTRIES.of(deadLetter("s0", 0, 0, null, "{\"event_id\":\"bad id\"}".getBytes(StandardCharsets.UTF_8)),
                0).id()).isNull();
        DeadLetterEntry binary = ENTRIES.of(deadLetter("s0", 0, 0, null, new byte[] {(byte) 0xC3, 0x28, 0}), 0);
        assertThat(binary.id()).isNull();
        assertThat(binary.preview()).isEqualTo("(3 bytes, not text)");
        assertThat(ENTRIES.of(deadLetter("s1", 0, 0, null, new byte[] {(byte) 0xff, 1}), 0).id()).isNull();
    }

    @Test
    void clipsLongPreviews() {
        String json = "{\"event_id\":\"e-3\",\"path\":\"/" + "a".repeat(5_000) + "\"}";
        DeadLetterEntry entry = ENTRIES.of(deadLetter("s0", 0, 0, null, json.getBytes(StandardCharsets.UTF_8)), 0);
        assertThat(entry.id()).isEqualTo("e-3");
        assertThat(entry.preview()).hasSize(DeadLetterEntries.PREVIEW_CHARS + 1).endsWith("…");
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(String source, int partition, long offset, byte[] key,
            byte[] value) {
        ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>(source, partition, offset, key, value);
        String stage = source.equals("s0") ? "preprocess" : "inference";
        ProducerRecord<byte[], byte[]> letter = LETTERS.of(original, stage,
                new Reason("out_of_range", "status 700", IllegalArgumentException.class));
        ConsumerRecord<byte[], byte[]> read = new ConsumerRecord<>(letter.topic(), 1, 5, letter.key(), letter.value());
        letter.headers().forEach(header -> read.headers().add(header));
        return read;
    }
}
