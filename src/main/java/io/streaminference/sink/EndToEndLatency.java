package io.streaminference.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streaminference.sink.RedisPredictionWriter.StoredPrediction;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Histograms of how long events took to become queryable: {@code pipeline.end.to.end.latency} from the event's own
 * timestamp, and {@code pipeline.ingest.to.store.latency} from the moment the s0 record reached Kafka.
 */
final class EndToEndLatency {

    private final Timer fromEvent;
    private final Timer fromIngest;
    private final Clock clock;

    EndToEndLatency(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.fromEvent = Timer.builder("pipeline.end.to.end.latency")
                .description("Event timestamp to Redis write")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        this.fromIngest = Timer.builder("pipeline.ingest.to.store.latency")
                .description("s0 record timestamp to Redis write")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    void recordStored(List<StoredPrediction> stored) {
        long now = clock.millis();
        for (StoredPrediction prediction : stored) {
            fromEvent.record(Math.max(0, now - prediction.prediction().getEventTimeMs()), TimeUnit.MILLISECONDS);
            if (prediction.prediction().getIngestedAtMs() > 0) {
                fromIngest.record(Math.max(0, now - prediction.prediction().getIngestedAtMs()), TimeUnit.MILLISECONDS);
            }
        }
    }
}
