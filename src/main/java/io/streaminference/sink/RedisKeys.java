package io.streaminference.sink;

import java.nio.charset.StandardCharsets;

/**
 * The Redis key scheme, shared by the writer and the query API. {@code <prefix>prediction:<eventId>} is a hash whose
 * field {@code p} holds the {@code Prediction} protobuf, {@code t} its predicted_at and {@code e} the entity the event
 * id belongs to; {@code <prefix>entity:<entityKey>} is a sorted set of event ids by event time. Sessions likewise:
 * {@code <prefix>session:<sessionId>} holds a {@code SessionPrediction}, {@code <prefix>entity-sessions:<entityKey>}
 * its entity's session ids by start time. Dead letters ({@link DeadLetterLog}): {@code <prefix>dead-letter:<id>} the
 * latest of an event or session id, {@code <prefix>dead-letters:<topic>:<reason>} the newest of each dead-letter topic
 * and reason, and the set {@code <prefix>dead-letter-kinds} of those topic and reason pairs.
 */
public final class RedisKeys {

    private final String prediction;
    private final String entity;
    private final String session;
    private final String entitySessions;
    private final String probe;
    private final String deadLetter;
    private final String deadLetters;
    private final String deadLetterKinds;

    public RedisKeys(String prefix) {
        this.prediction = prefix + "prediction:";
        this.entity = prefix + "entity:";
        this.session = prefix + "session:";
        this.entitySessions = prefix + "entity-sessions:";
        this.probe = prefix + "probe";
        this.deadLetter = prefix + "dead-letter:";
        this.deadLetters = prefix + "dead-letters:";
        this.deadLetterKinds = prefix + "dead-letter-kinds";
    }

    /** A kind of stored record: the key of one record by its id, and of its entity's index. */
    public interface KeySpace {
        byte[] record(String id);

        byte[] index(String entityKey);
    }

    public KeySpace events() {
        return new KeySpace() {
            @Override
            public byte[] record(String id) {
                return prediction(id);
            }

            @Override
            public byte[] index(String entityKey) {
                return entityIndex(entityKey);
            }
        };
    }

    public KeySpace sessions() {
        return new KeySpace() {
            @Override
            public byte[] record(String id) {
                return (session + id).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] index(String entityKey) {
                return (entitySessions + entityKey).getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    public byte[] prediction(String eventId) {
        return (prediction + eventId).getBytes(StandardCharsets.UTF_8);
    }

    /** Hash field of a record key that holds the protobuf. */
    public static byte[] predictionField() {
        return new byte[] {'p'};
    }

    public byte[] entityIndex(String entityKey) {
        return (entity + entityKey).getBytes(StandardCharsets.UTF_8);
    }

    /** The latest dead letter of an event or session id. */
    public byte[] deadLetter(String id) {
        return (deadLetter + id).getBytes(StandardCharsets.UTF_8);
    }

    /** The newest dead letters of one dead-letter topic and reason, newest first. */
    public byte[] recentDeadLetters(String topic, String reason) {
        return (deadLetters + topic + ":" + reason).getBytes(StandardCharsets.UTF_8);
    }

    /** The set of {@code topic reason} pairs that have recent dead letters. */
    public byte[] deadLetterKinds() {
        return deadLetterKinds.getBytes(StandardCharsets.UTF_8);
    }

    /** The short-lived key the sink's breaker writes to check that Redis takes writes again. */
    byte[] probe() {
        return probe.getBytes(StandardCharsets.UTF_8);
    }
}
