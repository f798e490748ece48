package io.streaminference.inference;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.contract.SessionSchema;
import io.streaminference.deadletter.Reason;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sessions: s1-sessions {@code SessionFeatures} in, s2-sessions {@code SessionPrediction} out, keyed by entity. */
final class SessionInput implements ScoredInput<SessionFeatures> {

    private final String predictionsTopic;

    SessionInput(String predictionsTopic) {
        this.predictionsTopic = predictionsTopic;
    }

    @Override
    public SessionFeatures parse(byte[] value) throws InvalidProtocolBufferException {
        return SessionFeatures.parseFrom(value);
    }

    @Override
    public Reason check(SessionFeatures session) {
        if (session.getSchemaVersion() != SessionSchema.VERSION) {
            return InferenceStage.invalid("unsupported_schema_version", "session schema version "
                    + session.getSchemaVersion() + ", this build scores version " + SessionSchema.VERSION);
        }
        if (session.getValuesCount() != SessionSchema.SIZE) {
            return InferenceStage.invalid("wrong_feature_count", session.getValuesCount() + " features, session schema "
                    + "version " + SessionSchema.VERSION + " has " + SessionSchema.SIZE);
        }
        if (session.getSessionId().isEmpty()) {
            return InferenceStage.invalid("missing_session_id", "session features carry no session id");
        }
        return InferenceStage.nonFinite(session.getValuesList(), SessionSchema.NAMES);
    }

    @Override
    public float[] row(SessionFeatures session) {
        float[] row = new float[SessionSchema.SIZE];
        for (int j = 0; j < row.length; j++) {
            row[j] = session.getValues(j);
        }
        return row;
    }

    @Override
    public ProducerRecord<byte[], byte[]> prediction(SessionFeatures session, ConsumerRecord<?, ?> from,
            float[] scores, String label, String modelName, long modelVersion, long now) {
        SessionPrediction.Builder prediction = SessionPrediction.newBuilder()
                .setSessionId(session.getSessionId())
                .setEntityKey(session.getEntityKey())
                .setStartMs(session.getStartMs())
                .setEndMs(session.getEndMs())
                .setEventCount(session.getEventCount())
                .setLabel(label)
                .setModelName(modelName)
                .setModelVersion(modelVersion)
                .setFinal(session.getFinal())
                .setEmittedAtMs(session.getEmittedAtMs())
                .setPredictedAtMs(now);
        for (float score : scores) {
            prediction.addScores(score);
        }
        return new ProducerRecord<>(predictionsTopic, session.getEntityKey().getBytes(StandardCharsets.UTF_8),
                prediction.build().toByteArray());
    }

    @Override
    public String entityKey(SessionFeatures input) {
        return input.getEntityKey();
    }

    @Override
    public String messageName() {
        return "streaminference.v1.SessionFeatures";
    }
}
