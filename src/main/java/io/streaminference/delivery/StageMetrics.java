package io.streaminference.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-stage record counters shared by every stage, tagged by stage: {@code pipeline.records.in} (records consumed,
 * every attempt) and the {@code pipeline.batch.size} summary, {@code pipeline.records.retried} (records of failed
 * batch attempts, consumed again later), and — once a batch has committed — {@code pipeline.records.out} and
 * {@code pipeline.records.dead.lettered} (by reason).
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
                .description("Records the stage produced or stored, counted once their batch committed")
                .register(registry);
        this.retried = Counter.builder("pipeline.records.retried").tag("stage", stage)
                .description("Records of failed batch attempts; they are consumed again").register(registry);
        this.batchSize = DistributionSummary.builder("pipeline.batch.size").tag("stage", stage)
                .description("Records per consumed batch").register(registry);
    }

    public void received(int records) {
        in.increment(records);
        batchSize.record(records);
    }

    public void retried(int records) {
        retried.increment(records);
    }

    /** A batch committed: count its output and dead letters. */
    public void completed(StageOutput output) {
        out.increment(output.emitted());
        output.deadLettered().forEach((reason, count) -> Counter.builder("pipeline.records.dead.lettered")
                .tag("stage", stage).tag("reason", reason)
                .description("Records sent to a dead-letter topic, counted once their batch committed")
                .register(registry).increment(count));
    }

    public String stage() {
        return stage;
    }
}
