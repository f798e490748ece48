package io.streaminference.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a stage's model answered, per model name and version that answered: {@code pipeline.predictions} per label,
 * and {@code pipeline.prediction.score} (the best score, in percent: Micrometer's fixed histogram buckets count values
 * below 1 as if they were 1) in buckets of ten. Counted as rows are scored, so the
 * rows of a batch that is retried count again: a view of the model's output, not a count of stored predictions.
 */
final class PredictionMetrics {

    static final double[] SCORE_BUCKETS = buckets();

    private final MeterRegistry registry;
    private final String stage;
    private final String model;
    private final Map<String, Counter> predictions = new ConcurrentHashMap<>();
    private final Map<Long, DistributionSummary> scores = new ConcurrentHashMap<>();

    PredictionMetrics(MeterRegistry registry, String stage, String model) {
        this.registry = registry;
        this.stage = stage;
        this.model = model;
    }

    void scored(long version, String label, float[] scores) {
        float best = scores[0];
        for (float score : scores) {
            best = Math.max(best, score);
        }
        predictions.computeIfAbsent(version + "|" + label, key -> Counter.builder("pipeline.predictions")
                .tag("stage", stage).tag("model", model).tag("version", Long.toString(version)).tag("label", label)
                .description("Rows the model scored, by the version that answered and the label given")
                .register(registry)).increment();
        this.scores.computeIfAbsent(version, v -> DistributionSummary.builder("pipeline.prediction.score")
                .tag("stage", stage).tag("model", model).tag("version", Long.toString(v))
                .description("Best score of each row the model scored, in percent").baseUnit("percent")
                .serviceLevelObjectives(SCORE_BUCKETS).register(registry)).record(best * 100.0);
    }

    private static double[] buckets() {
        double[] bounds = new double[10];
        for (int i = 1; i <= bounds.length; i++) {
            bounds[i - 1] = i * 10.0;
        }
        return bounds;
    }
}
