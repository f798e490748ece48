package io.streaminference.sink;

import java.nio.charset.StandardCharsets;

/**
 * The Redis key scheme, shared by the writer and the query API: {@code <prefix>prediction:<eventId>} is a hash
 * whose field {@code p} holds the {@code Prediction} protobuf and {@code t} its predicted_at;
 * {@code <prefix>entity:<entityKey>} is a sorted set of event ids by event time.
 */
public final class RedisKeys {

    private final String prediction;
    private final String entity;

    public RedisKeys(String prefix) {
        this.prediction = prefix + "prediction:";
        this.entity = prefix + "entity:";
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
}
