package io.streaminference.sink;

import java.nio.charset.StandardCharsets;

/**
 * The Redis key scheme, shared by the writer and the query API: {@code <prefix>prediction:<eventId>} is a hash
 * whose field {@code p} holds the {@code Prediction} protobuf, {@code t} its predicted_at and {@code e} the entity the
 * event id belongs to;
 * {@code <prefix>entity:<entityKey>} is a sorted set of event ids by event time.
 */
public final class RedisKeys {

    private final String prediction;
    private final String entity;
    private final String probe;

    public RedisKeys(String prefix) {
        this.prediction = prefix + "prediction:";
        this.entity = prefix + "entity:";
        this.probe = prefix + "probe";
    }

    public byte[] prediction(String eventId) {
        return (prediction + eventId).getBytes(StandardCharsets.UTF_8);
    }

    /** Hash field of a prediction key that holds the {@code Prediction} protobuf. */
    public static byte[] predictionField() {
        return new byte[] {'p'};
    }

    public byte[] entityIndex(String entityKey) {
        return (entity + entityKey).getBytes(StandardCharsets.UTF_8);
    }

    /** The short-lived key the sink's breaker writes to check that Redis takes writes again. */
    byte[] probe() {
        return probe.getBytes(StandardCharsets.UTF_8);
    }
}
