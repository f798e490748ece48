package io.streaminference.lifecycle;

import com.google.protobuf.ByteString;
import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.contract.Label;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionSchema;
import java.util.List;
import org.tensorflow.example.BytesList;
import org.tensorflow.example.Example;
import org.tensorflow.example.Feature;
import org.tensorflow.example.FloatList;
import org.tensorflow.example.Int64List;

/**
 * One labelled event or session as a {@code tf.train.Example}, the feature spec the README documents: each feature
 * of the schema under its own name (a float scalar), {@code label} (int64, 1 for the positive class),
 * {@code label_name}, {@code schema_version}, {@code event_time_ms} (a session: its end), {@code entity_key} and
 * {@code event_id} or {@code session_id}.
 */
public final class TrainingExamples {

    static final String LABEL = "label";

    private TrainingExamples() {
    }

    public static Example event(Features event, Label label, String positive) {
        org.tensorflow.example.Features.Builder features = named(FeatureSchema.NAMES, event.getValuesList());
        put(features, "event_id", bytes(event.getEventId()));
        put(features, "event_time_ms", int64(event.getEventTimeMs()));
        put(features, "schema_version", int64(event.getSchemaVersion()));
        return common(features, event.getEntityKey(), label, positive);
    }

    public static Example session(SessionFeatures session, Label label, String positive) {
        org.tensorflow.example.Features.Builder features = named(SessionSchema.NAMES, session.getValuesList());
        put(features, "session_id", bytes(session.getSessionId()));
        put(features, "event_time_ms", int64(session.getEndMs()));
        put(features, "event_count", int64(session.getEventCount()));
        put(features, "schema_version", int64(session.getSchemaVersion()));
        return common(features, session.getEntityKey(), label, positive);
    }

    private static Example common(org.tensorflow.example.Features.Builder features, String entity, Label label,
            String positive) {
        put(features, "entity_key", bytes(entity));
        put(features, LABEL, int64(label.getLabel().equals(positive) ? 1 : 0));
        put(features, "label_name", bytes(label.getLabel()));
        return Example.newBuilder().setFeatures(features).build();
    }

    private static org.tensorflow.example.Features.Builder named(List<String> names, List<Float> values) {
        org.tensorflow.example.Features.Builder features = org.tensorflow.example.Features.newBuilder();
        for (int i = 0; i < names.size() && i < values.size(); i++) {
            put(features, names.get(i), Feature.newBuilder().setFloatList(FloatList.newBuilder()
                    .addValue(values.get(i))).build());
        }
        return features;
    }

    private static void put(org.tensorflow.example.Features.Builder features, String name, Feature feature) {
        features.putFeature(name, feature);
    }

    private static Feature bytes(String value) {
        return Feature.newBuilder().setBytesList(BytesList.newBuilder().addValue(ByteString.copyFromUtf8(value)))
                .build();
    }

    private static Feature int64(long value) {
        return Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(value)).build();
    }
}
