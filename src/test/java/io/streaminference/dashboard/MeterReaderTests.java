package io.streaminference.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against the registry the app runs with: its histograms must read as cumulative counts per bucket. */
class MeterReaderTests {

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final MeterReader reader = new MeterReader(registry);

    @Test
    void readsScoreHistogramsSoThatEachTenthCountsItsScores() {
        DistributionSummary scores = DistributionSummary.builder("pipeline.prediction.score").tag("stage", "inference")
                .tag("model", "m").tag("version", "1")
                .serviceLevelObjectives(10, 20, 30, 40, 50, 60, 70, 80, 90, 100).register(registry);
        Reading before = reader.read(0);
        scores.record(5);
        scores.record(5);
        scores.record(55);
        scores.record(95);
        Reading after = reader.read(1_000);

        assertThat(Snapshots.histogram(after, before, "score|inference|m|1|"))
                .containsExactly(2, 0, 0, 0, 0, 1, 0, 0, 0, 1);
    }

    @Test
    void readsLatencyPercentilesFromTheTimersBuckets() {
        Timer latency = Timer.builder(MeterReader.LATENCY).publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        Reading before = reader.read(0);
        for (int i = 0; i < 99; i++) {
            latency.record(Duration.ofMillis(20));
        }
        latency.record(Duration.ofSeconds(3));
        Reading after = reader.read(10_000);

        LiveSnapshot.Latency read = Snapshots.latency(after, before);
        assertThat(read.count()).isEqualTo(100);
        assertThat(read.p50Ms()).isBetween(20L, 30L);
        assertThat(read.p99Ms()).isBetween(20L, 30L);
        latency.record(Duration.ofSeconds(3));
        assertThat(Snapshots.latency(reader.read(11_000), before).p99Ms()).isBetween(3_000L, 4_000L);
    }

    @Test
    void readsConsumedAndDeadLetteredPerStage() {
        Counter.builder("pipeline.records.in").tag("stage", "sink").register(registry).increment(5);
        Counter.builder("pipeline.records.dead.lettered").tag("stage", "preprocess").tag("reason", "not_json")
                .register(registry).increment(2);

        Map<String, Double> values = reader.read(0).values();

        assertThat(values).containsEntry("in|sink", 5.0).containsEntry("dl|preprocess|not_json", 2.0);
    }
}
