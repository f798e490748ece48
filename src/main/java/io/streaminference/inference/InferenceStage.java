package io.streaminference.inference;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.deadletter.Reason;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.delivery.StageOutput;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * s1 → s2 (events) or s1-sessions → s2-sessions (sessions), by its {@link ScoredInput}: decodes and checks a batch of
 * feature vectors, scores the valid ones with {@link BatchScorer}, and returns the prediction records plus a dead
 * letter for each record that can never be scored (a row the model itself refuses included; a request the model
 * refuses as a whole fails the batch instead).
 *
 * @param <I> the input message
 */
final class InferenceStage<I> {

    static final String MODEL_NAME_HEADER = "dlt-model-name";
    static final String MODEL_VERSION_HEADER = "dlt-model-version";

    private final String name;
    private final ScoredInput<I> input;
    private final BatchScorer scorer;
    /** Scores the canary's entities; null without a canary. */
    private final BatchScorer canaryScorer;
    private final CanaryRouter router;
    /** Scores every row again for the shadow topic; null without a shadow. */
    private final Shadow shadow;

    /**
     * Shadow scoring: its scorer, the topic its predictions go to, and the count of batches it could not score (a
     * shadow never fails or delays the batch beyond its own calls).
     */
    record Shadow(BatchScorer scorer, String topic, Runnable failed) {
    }
    private final Labeler labeler;
    private final String modelName;
    private final DeadLetters deadLetters;
    private final StageMetrics metrics;
    private final PredictionMetrics predictions;
    private final Clock clock;
    private final RecordTracing tracing;

    InferenceStage(String name, ScoredInput<I> input, BatchScorer scorer, Labeler labeler, String modelName,
            DeadLetters deadLetters, StageMetrics metrics, PredictionMetrics predictions, Clock clock,
            RecordTracing tracing) {
        this(name, input, scorer, null, new CanaryRouter(0), null, labeler, modelName, deadLetters, metrics,
                predictions, clock, tracing);
    }

    /** @param canaryScorer scores the entities {@code router} picks; null for none */
    InferenceStage(String name, ScoredInput<I> input, BatchScorer scorer, BatchScorer canaryScorer,
            CanaryRouter router, Shadow shadow, Labeler labeler, String modelName, DeadLetters deadLetters,
            StageMetrics metrics, PredictionMetrics predictions, Clock clock, RecordTracing tracing) {
        this.name = name;
        this.input = input;
        this.scorer = scorer;
        this.canaryScorer = canaryScorer;
        this.router = router;
        this.shadow = shadow;
        this.labeler = labeler;
        this.modelName = modelName;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.predictions = predictions;
        this.clock = clock;
        this.tracing = tracing;
    }

    String name() {
        return name;
    }

    /** The stage's counters, for its listener to report each batch to. */
    StageMetrics metrics() {
        return metrics;
    }

    /** Whether the model scores a known-good row: the breaker's probe while the stage is paused. */
    boolean modelAcceptsRequests() {
        return scorer.acceptsReferenceRow() && (canaryScorer == null || canaryScorer.acceptsReferenceRow());
    }

    StageOutput process(List<ConsumerRecord<byte[], byte[]>> batch) {
        metrics.received(batch.size());
        StageOutput out = new StageOutput();
        List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(batch.size());
        List<I> inputs = new ArrayList<>(batch.size());
        List<float[]> rows = new ArrayList<>(batch.size());
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            Reason reason;
            try {
                I parsed = input.parse(record.value() == null ? new byte[0] : record.value());
                reason = input.check(parsed);
                if (reason == null) {
                    sources.add(record);
                    inputs.add(parsed);
                    rows.add(input.row(parsed));
                    continue;
                }
            } catch (InvalidProtocolBufferException e) {
                reason = invalid("undecodable", "not a " + input.messageName() + ": " + e.getMessage());
            }
            deadLetter(out, record, reason);
        }
        if (!rows.isEmpty()) {
            RowResult[] results = canaryScorer == null ? scorer.score(rows) : scoreWithCanary(inputs, rows);
            long now = clock.millis();
            for (int i = 0; i < results.length; i++) {
                add(out, sources.get(i), inputs.get(i), results[i], now);
            }
            if (shadow != null) {
                shadow(out, sources, inputs, rows, now);
            }
        }
        return out;
    }

    /**
     * The shadow's predictions of the batch, published with it: rows it refuses or cannot score are left out — the
     * served prediction is the one that counts — and a request it refuses as a whole only costs the batch its shadow.
     */
    private void shadow(StageOutput out, List<ConsumerRecord<byte[], byte[]>> sources, List<I> inputs,
            List<float[]> rows, long now) {
        RowResult[] results;
        try {
            results = shadow.scorer().score(rows);
        } catch (RuntimeException e) {
            shadow.failed().run();
            return;
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof RowResult.Scored row && allFinite(row.scores())) {
                String label = labeler.label(row.scores());
                if (label != null) {
                    ProducerRecord<byte[], byte[]> served = input.prediction(inputs.get(i), sources.get(i),
                            row.scores(), label, modelName, row.modelVersion(), now);
                    out.emit(new ProducerRecord<>(shadow.topic(), served.key(), served.value()));
                }
            }
        }
    }

    private static boolean allFinite(float[] scores) {
        for (float score : scores) {
            if (!Float.isFinite(score)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The canary's entities by the canary's version, the others by the stable one; a request either refuses fails
     * the whole batch, as without a canary.
     */
    private RowResult[] scoreWithCanary(List<I> inputs, List<float[]> rows) {
        List<Integer> canaryIndex = new ArrayList<>();
        List<Integer> stableIndex = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            (router.canary(input.entityKey(inputs.get(i))) ? canaryIndex : stableIndex).add(i);
        }
        RowResult[] results = new RowResult[rows.size()];
        place(results, stableIndex, scorer, rows);
        place(results, canaryIndex, canaryScorer, rows);
        return results;
    }

    private static void place(RowResult[] results, List<Integer> indexes, BatchScorer scorer, List<float[]> rows) {
        if (indexes.isEmpty()) {
            return;
        }
        List<float[]> subset = new ArrayList<>(indexes.size());
        indexes.forEach(i -> subset.add(rows.get(i)));
        RowResult[] scored = scorer.score(subset);
        for (int j = 0; j < scored.length; j++) {
            results[indexes.get(j)] = scored[j];
        }
    }

    static Reason invalid(String code, String detail) {
        return new Reason(code, detail, InvalidFeaturesException.class);
    }

    /** @return a reason naming the first value that is not finite, or null */
    static Reason nonFinite(List<Float> values, List<String> names) {
        for (int j = 0; j < values.size(); j++) {
            if (!Float.isFinite(values.get(j))) {
                return invalid("non_finite_feature", "feature " + names.get(j) + " is " + values.get(j));
            }
        }
        return null;
    }

    private void add(StageOutput out, ConsumerRecord<byte[], byte[]> source, I scored, RowResult result, long now) {
        if (result instanceof RowResult.Invalid invalid) {
            deadLetter(out, source, new Reason("rejected_by_model", "model refused the row: " + invalid.detail(),
                    InvalidFeaturesException.class, Map.of(MODEL_NAME_HEADER, modelName)));
            return;
        }
        RowResult.Scored row = (RowResult.Scored) result;
        for (float score : row.scores()) {
            if (!Float.isFinite(score)) {
                deadLetter(out, source, new Reason("non_finite_score", "model answered " + score + " for this row",
                        InvalidFeaturesException.class, Map.of(MODEL_NAME_HEADER, modelName,
                        MODEL_VERSION_HEADER, Long.toString(row.modelVersion()))));
                return;
            }
        }
        String label = labeler.label(row.scores());
        if (label == null) {
            throw new ModelOutputException("model answered " + row.scores().length
                    + " scores per row but the model's labels name fewer");
        }
        predictions.scored(row.modelVersion(), label, row.scores());
        ProducerRecord<byte[], byte[]> prediction = input.prediction(scored, source, row.scores(), label, modelName,
                row.modelVersion(), now);
        tracing.propagate(name, source, prediction);
        out.emit(prediction);
    }

    private void deadLetter(StageOutput out, ConsumerRecord<byte[], byte[]> record, Reason reason) {
        out.deadLetter(deadLetters.of(record, name, reason), reason.code());
    }

    /** Names the classified error in dead-letter headers; never thrown. */
    static final class InvalidFeaturesException extends Exception {
        private InvalidFeaturesException() {
        }
    }
}
