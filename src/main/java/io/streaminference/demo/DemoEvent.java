package io.streaminference.demo;

/**
 * One generated s0 record with its ground truth.
 *
 * @param key       the Kafka record key (the user id), may be null
 * @param value     the record value; JSON unless {@code malformed}
 * @param bot       whether an automated client produced it (the label the demo models learn)
 * @param malformed whether the value is deliberately invalid (the pipeline must dead-letter it)
 * @param kind      who produced it
 * @param eventId   the event's id (for its label); the record's key when {@code malformed}
 * @param timeMs    the event time; 0 when {@code malformed}
 */
public record DemoEvent(String key, byte[] value, boolean bot, boolean malformed, ClickstreamSimulator.Kind kind,
        String eventId, long timeMs) {
}
