package io.streaminference.sink;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One prediction as the sink stores it: the exact record bytes (not re-encoded) and what the store needs to know of
 * them.
 *
 * @param id             event id or session id: the record's key
 * @param entityKey      the entity whose index lists it, and who owns the id
 * @param indexTimeMs    its position in the entity's index: event time, or a session's start
 * @param predictedAtMs  when it was predicted: a record never replaces a later one for the same id
 * @param eventTimeMs    event time (of a session: its end), for the latency histograms
 * @param ingestedAtMs   when its s0 record reached Kafka, 0 where that means nothing (sessions)
 * @param from           {@code topic:partition:offset} of the record it was read from, empty when unknown
 */
record StoredRecord(String id, String entityKey, long indexTimeMs, long predictedAtMs, long eventTimeMs,
        long ingestedAtMs, byte[] bytes, String from) {

    StoredRecord(String id, String entityKey, long indexTimeMs, long predictedAtMs, long eventTimeMs,
            long ingestedAtMs, byte[] bytes) {
        this(id, entityKey, indexTimeMs, predictedAtMs, eventTimeMs, ingestedAtMs, bytes, "");
    }

    /** The same record, read from {@code source}: the journey API shows where. */
    StoredRecord readFrom(ConsumerRecord<?, ?> source) {
        return new StoredRecord(id, entityKey, indexTimeMs, predictedAtMs, eventTimeMs, ingestedAtMs, bytes,
                source.topic() + ":" + source.partition() + ":" + source.offset());
    }
}
