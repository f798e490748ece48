package io.streaminference.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-stage record counters shared by every stage: {@code pipeline.records.in}, {@code pipeline.records.out},
 * {@code pipeline.records.dead.lettered} (by reason), {@code pipeline.records.retried} (records of failed batch
 * attempts, consumed again later) and the {@code pipeline.batch.size} summary, tagged by stage.
 */
public final class StageMetrics {

    private final MeterRegistry registry;
    private final String stage;
    private final Counter in;
    private final Counter out;
    private final DistributionSummary batchSize;
    private final Counter retried;

    public StageMetrics(MeterRegistry registry, String stage) {
        this.registry = registry;
        this.stage = stage;
        this.in = Counter.builder("pipeline.records.in").tag("stage", stage)
                .description("Records consumed by the stage").register(registry);
        this.out = Counter.builder("pipeline.records.out").tag("stage", stage)
                .description("Records the stage produced or stored").register(registry);
        this.retried = Counter.builder("pipeline.records.retried").tag("stage", stage)
                .description("Records of failed batch attempts; they are consumed again").register(registry);
        this.batchSize = DistributionSummary.builder("pipeline.batch.size").tag("stage", stage)
                .description("Records per consumed batch").register(registry);
    }

    public void received(int records) {
        in.increment(records);
        batchSize.record(records);
    }

    public void emitted(int records) {
        out.increment(records);
    }

    public void retried(int records) {
        retried.increment(records);
    }

    public void deadLettered(String reason) {
        Counter.builder("pipeline.records.dead.lettered").tag("stage", stage).tag("reason", reason)
                .description("Records sent to a dead-letter topic").register(registry).increment();
    }

    public String stage() {
        return stage;
    }
}
