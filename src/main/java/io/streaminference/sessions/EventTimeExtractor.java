package io.streaminference.sessions;

import io.streaminference.contract.Features;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Sessions are in event time: an s1 record's time is its event's own timestamp, not when preprocess wrote it.
 * Kafka Streams hands the extractor the already deserialized value; one that could not be read keeps the
 * partition's time and is skipped downstream.
 */
final class EventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Features features && features.getEventTimeMs() > 0) {
            return features.getEventTimeMs();
        }
        return Math.max(partitionTime, 0);
    }
}
