package io.streaminference.sink;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SessionPrediction;

/**
 * What a sink stage stores: event predictions from s2 or session predictions from s2-sessions.
 *
 * @param <M> the prediction message
 */
interface StoredInput<M> {

    M parse(byte[] value) throws InvalidProtocolBufferException;

    /** @return the name of a field the prediction needs and lacks, or null when it can be stored */
    String missing(M prediction);

    StoredRecord stored(M prediction, byte[] bytes);

    String messageName();

    /** Event predictions: by event id, indexed by event time. */
    StoredInput<Prediction> EVENTS = new StoredInput<>() {
        @Override
        public Prediction parse(byte[] value) throws InvalidProtocolBufferException {
            return Prediction.parseFrom(value);
        }

        @Override
        public String missing(Prediction prediction) {
            return prediction.getEventId().isEmpty() ? "event_id"
                    : prediction.getEntityKey().isEmpty() ? "entity_key"
                    : prediction.getScoresCount() == 0 ? "scores"
                    : null;
        }

        @Override
        public StoredRecord stored(Prediction prediction, byte[] bytes) {
            return new StoredRecord(prediction.getEventId(), prediction.getEntityKey(), prediction.getEventTimeMs(),
                    prediction.getPredictedAtMs(), prediction.getEventTimeMs(), prediction.getIngestedAtMs(), bytes);
        }

        @Override
        public String messageName() {
            return "streaminference.v1.Prediction";
        }
    };

    /** Session predictions: by session id, indexed by the session's start. */
    StoredInput<SessionPrediction> SESSIONS = new StoredInput<>() {
        @Override
        public SessionPrediction parse(byte[] value) throws InvalidProtocolBufferException {
            return SessionPrediction.parseFrom(value);
        }

        @Override
        public String missing(SessionPrediction prediction) {
            return prediction.getSessionId().isEmpty() ? "session_id"
                    : prediction.getEntityKey().isEmpty() ? "entity_key"
                    : prediction.getScoresCount() == 0 ? "scores"
                    : null;
        }

        @Override
        public StoredRecord stored(SessionPrediction prediction, byte[] bytes) {
            return new StoredRecord(prediction.getSessionId(), prediction.getEntityKey(), prediction.getStartMs(),
                    prediction.getPredictedAtMs(), prediction.getEndMs(), 0, bytes);
        }

        @Override
        public String messageName() {
            return "streaminference.v1.SessionPrediction";
        }
    };
}
