package io.streaminference.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Features;
import io.streaminference.contract.Prediction;

/** The event id inside an s1 or s2 record value, for verifiers that count events per topic. */
public final class EventIdReader {

    private EventIdReader() {
    }

    /** @return the event id of a {@code Features} value, or "" when the value is not one */
    public static String ofFeatures(byte[] value) {
        try {
            return Features.parseFrom(value).getEventId();
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }

    /** @return the event id of a {@code Prediction} value, or "" when the value is not one */
    public static String ofPrediction(byte[] value) {
        try {
            return Prediction.parseFrom(value).getEventId();
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }
}
