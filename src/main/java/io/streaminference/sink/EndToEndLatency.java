package io.streaminference.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Histograms of how long events took to become queryable: {@code pipeline.end.to.end.latency} from the event's own
 * timestamp, {@code pipeline.ingest.to.store.latency} from the moment the s0 record reached Kafka, and
 * {@code pipeline.predicted.to.store.latency} from inference: the sink's own share (the inference transaction's commit,
 * s2 lag and the Redis write), which no timestamp in the stored prediction shows.
 */
final class EndToEndLatency {

    private final Timer fromEvent;
    private final Timer fromIngest;
    private final Timer fromPrediction;
    private final Clock clock;

    EndToEndLatency(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.fromEvent = histogram(registry, "pipeline.end.to.end.latency", "Event timestamp to Redis write");
        this.fromIngest = histogram(registry, "pipeline.ingest.to.store.latency", "s0 record timestamp to Redis write");
        this.fromPrediction = histogram(registry, "pipeline.predicted.to.store.latency",
                "Prediction time to Redis write");
    }

    private static Timer histogram(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description)
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    void recordStored(List<StoredRecord> stored) {
        long now = clock.millis();
        for (StoredRecord each : stored) {
            fromEvent.record(Math.max(0, now - each.eventTimeMs()), TimeUnit.MILLISECONDS);
            recordSince(fromIngest, each.ingestedAtMs(), now);
            recordSince(fromPrediction, each.predictedAtMs(), now);
        }
    }

    /** Times of 0 are predictions from producers that did not set them. */
    private static void recordSince(Timer timer, long sinceMs, long now) {
        if (sinceMs > 0) {
            timer.record(Math.max(0, now - sinceMs), TimeUnit.MILLISECONDS);
        }
    }
}
