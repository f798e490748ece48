package io.streaminference.sink;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the dead-letter log keeps of one dead letter, for people: where it is, where it came from, the stage and
 * reason, and a safe preview of its value (text clipped, binary described; the page escapes it).
 *
 * @param id             the event or session id found in the value, or null when none could be read
 * @param key            the record key as text (clipped), or null
 * @param deadLetteredAt when the log read it, epoch ms (close to when it was dead-lettered)
 */
public record DeadLetterEntry(
        @JsonProperty("id") String id,
        @JsonProperty("key") String key,
        @JsonProperty("topic") String topic,
        @JsonProperty("partition") int partition,
        @JsonProperty("offset") long offset,
        @JsonProperty("source_topic") String sourceTopic,
        @JsonProperty("source_partition") Integer sourcePartition,
        @JsonProperty("source_offset") Long sourceOffset,
        @JsonProperty("stage") String stage,
        @JsonProperty("reason") String reason,
        @JsonProperty("detail") String detail,
        @JsonProperty("preview") String preview,
        @JsonProperty("value_bytes") int valueBytes,
        @JsonProperty("dead_lettered_at") long deadLetteredAt) {
}
