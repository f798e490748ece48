package io.streaminference.sessions;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.streaminference.contract.Features;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionState;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Serdes of the session stage's protobuf values. */
final class ProtobufSerdes {

    private ProtobufSerdes() {
    }

    /** s1 values; one that is not a {@code Features} reads as null (the inference stage dead-letters it). */
    static Serde<Features> features() {
        return Serdes.serdeFrom(serializer(), (topic, bytes) -> {
            try {
                return bytes == null ? null : Features.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                return null;
            }
        });
    }

    static Serde<SessionFeatures> sessionFeatures() {
        return Serdes.serdeFrom(serializer(), strict(SessionFeatures::parseFrom));
    }

    /** The session store's values; a value that does not read is a broken store, which must not pass silently. */
    static Serde<SessionState> sessionState() {
        return Serdes.serdeFrom(serializer(), strict(SessionState::parseFrom));
    }

    private static <T extends MessageLite> Serializer<T> serializer() {
        return (topic, message) -> message == null ? null : message.toByteArray();
    }

    private static <T> Deserializer<T> strict(Parser<T> parser) {
        return (topic, bytes) -> {
            try {
                return bytes == null ? null : parser.parse(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new SerializationException("Not a " + topic + " value", e);
            }
        };
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }
}
