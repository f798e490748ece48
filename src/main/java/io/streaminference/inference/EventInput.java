package io.streaminference.inference;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SourcePosition;
import io.streaminference.deadletter.Reason;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Events: s1 {@code Features} in, s2 {@code Prediction} out, keyed by entity. */
final class EventInput implements ScoredInput<Features> {

    private final String predictionsTopic;

    EventInput(String predictionsTopic) {
        this.predictionsTopic = predictionsTopic;
    }

    @Override
    public Features parse(byte[] value) throws InvalidProtocolBufferException {
        return Features.parseFrom(value);
    }

    @Override
    public Reason check(Features features) {
        if (features.getSchemaVersion() != FeatureSchema.VERSION) {
            return InferenceStage.invalid("unsupported_schema_version", "feature schema version "
                    + features.getSchemaVersion() + ", this build scores version " + FeatureSchema.VERSION);
        }
        if (features.getValuesCount() != FeatureSchema.SIZE) {
            return InferenceStage.invalid("wrong_feature_count", features.getValuesCount() + " features, schema version "
                    + FeatureSchema.VERSION + " has " + FeatureSchema.SIZE);
        }
        if (features.getEventId().isEmpty()) {
            return InferenceStage.invalid("missing_event_id", "features carry no event id");
        }
        return InferenceStage.nonFinite(features.getValuesList(), FeatureSchema.NAMES);
    }

    @Override
    public float[] row(Features features) {
        float[] row = new float[FeatureSchema.SIZE];
        for (int j = 0; j < row.length; j++) {
            row[j] = features.getValues(j);
        }
        return row;
    }

    @Override
    public ProducerRecord<byte[], byte[]> prediction(Features features, ConsumerRecord<?, ?> from, float[] scores,
            String label, String modelName, long modelVersion, long now) {
        Prediction.Builder prediction = Prediction.newBuilder()
                .setEventId(features.getEventId())
                .setEntityKey(features.getEntityKey())
                .setEventTimeMs(features.getEventTimeMs())
                .setLabel(label)
                .setModelName(modelName)
                .setModelVersion(modelVersion)
                .setIngestedAtMs(features.getIngestedAtMs())
                .setPreprocessedAtMs(features.getPreprocessedAtMs())
                .setPredictedAtMs(now)
                .setSource(features.getSource())
                .setFeaturesSource(SourcePosition.newBuilder().setTopic(from.topic()).setPartition(from.partition())
                        .setOffset(from.offset()));
        for (float score : scores) {
            prediction.addScores(score);
        }
        return new ProducerRecord<>(predictionsTopic, features.getEntityKey().getBytes(StandardCharsets.UTF_8),
                prediction.build().toByteArray());
    }

    @Override
    public String entityKey(Features input) {
        return input.getEntityKey();
    }

    @Override
    public String messageName() {
        return "streaminference.v1.Features";
    }
}
