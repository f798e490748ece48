package io.streaminference.inference;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.contract.Prediction;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.deadletter.Reason;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.delivery.StageOutput;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * s1 → s2: decodes and checks a batch of feature vectors, scores the valid ones with {@link BatchScorer}, and
 * returns the s2 {@link Prediction} records plus an s1 dead letter for each record that can never be scored (a row
 * the model itself refuses included; a request the model refuses as a whole fails the batch instead).
 */
final class InferenceStage {

    static final String STAGE = "inference";
    static final String MODEL_NAME_HEADER = "dlt-model-name";
    static final String MODEL_VERSION_HEADER = "dlt-model-version";

    private final BatchScorer scorer;
    private final Labeler labeler;
    private final String modelName;
    private final String predictionsTopic;
    private final DeadLetters deadLetters;
    private final StageMetrics metrics;
    private final Clock clock;
    private final RecordTracing tracing;

    InferenceStage(BatchScorer scorer, Labeler labeler, String modelName, String predictionsTopic,
            DeadLetters deadLetters, StageMetrics metrics, Clock clock, RecordTracing tracing) {
        this.scorer = scorer;
        this.labeler = labeler;
        this.modelName = modelName;
        this.predictionsTopic = predictionsTopic;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
        this.tracing = tracing;
    }

    /** The stage's counters, for its listener to report each batch to. */
    StageMetrics metrics() {
        return metrics;
    }

    /** Whether the model scores a known-good row: the breaker's probe while the stage is paused. */
    boolean modelAcceptsRequests() {
        return scorer.acceptsReferenceRow();
    }

    StageOutput process(List<ConsumerRecord<byte[], byte[]>> batch) {
        metrics.received(batch.size());
        StageOutput out = new StageOutput();
        List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(batch.size());
        List<Features> rows = new ArrayList<>(batch.size());
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            Reason reason;
            try {
                Features features = Features.parseFrom(record.value() == null ? new byte[0] : record.value());
                reason = check(features);
                if (reason == null) {
                    sources.add(record);
                    rows.add(features);
                    continue;
                }
            } catch (InvalidProtocolBufferException e) {
                reason = invalid("undecodable", "not a streaminference.v1.Features: " + e.getMessage());
            }
            deadLetter(out, record, reason);
        }
        if (!rows.isEmpty()) {
            RowResult[] results = scorer.score(rows);
            long now = clock.millis();
            for (int i = 0; i < results.length; i++) {
                add(out, sources.get(i), rows.get(i), results[i], now);
            }
        }
        return out;
    }

    /** @return null for a scorable row */
    private static Reason check(Features features) {
        if (features.getSchemaVersion() != FeatureSchema.VERSION) {
            return invalid("unsupported_schema_version", "feature schema version " + features.getSchemaVersion()
                    + ", this build scores version " + FeatureSchema.VERSION);
        }
        if (features.getValuesCount() != FeatureSchema.SIZE) {
            return invalid("wrong_feature_count", features.getValuesCount() + " features, schema version "
                    + FeatureSchema.VERSION + " has " + FeatureSchema.SIZE);
        }
        if (features.getEventId().isEmpty()) {
            return invalid("missing_event_id", "features carry no event id");
        }
        for (int j = 0; j < features.getValuesCount(); j++) {
            if (!Float.isFinite(features.getValues(j))) {
                return invalid("non_finite_feature",
                        "feature " + FeatureSchema.NAMES.get(j) + " is " + features.getValues(j));
            }
        }
        return null;
    }

    private static Reason invalid(String code, String detail) {
        return new Reason(code, detail, InvalidFeaturesException.class);
    }

    private void add(StageOutput out, ConsumerRecord<byte[], byte[]> source, Features features, RowResult result,
            long now) {
        if (result instanceof RowResult.Invalid invalid) {
            deadLetter(out, source, new Reason("rejected_by_model", "model refused the row: " + invalid.detail(),
                    InvalidFeaturesException.class, Map.of(MODEL_NAME_HEADER, modelName)));
            return;
        }
        RowResult.Scored scored = (RowResult.Scored) result;
        for (float score : scored.scores()) {
            if (!Float.isFinite(score)) {
                deadLetter(out, source, new Reason("non_finite_score", "model answered " + score + " for this row",
                        InvalidFeaturesException.class, Map.of(MODEL_NAME_HEADER, modelName,
                        MODEL_VERSION_HEADER, Long.toString(scored.modelVersion()))));
                return;
            }
        }
        String label = labeler.label(scored.scores());
        if (label == null) {
            throw new ModelOutputException("model answered " + scored.scores().length
                    + " scores per row but pipeline.inference.labels names fewer");
        }
        Prediction.Builder prediction = Prediction.newBuilder()
                .setEventId(features.getEventId())
                .setEntityKey(features.getEntityKey())
                .setEventTimeMs(features.getEventTimeMs())
                .setLabel(label)
                .setModelName(modelName)
                .setModelVersion(scored.modelVersion())
                .setIngestedAtMs(features.getIngestedAtMs())
                .setPreprocessedAtMs(features.getPreprocessedAtMs())
                .setPredictedAtMs(now)
                .setSource(features.getSource());
        for (float score : scored.scores()) {
            prediction.addScores(score);
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(predictionsTopic,
                features.getEntityKey().getBytes(StandardCharsets.UTF_8), prediction.build().toByteArray());
        tracing.propagate(STAGE, source, record);
        out.emit(record);
    }

    private void deadLetter(StageOutput out, ConsumerRecord<byte[], byte[]> record, Reason reason) {
        out.deadLetter(deadLetters.of(record, STAGE, reason), reason.code());
    }

    /** Names the classified error in dead-letter headers; never thrown. */
    static final class InvalidFeaturesException extends Exception {
        private InvalidFeaturesException() {
        }
    }
}
