package io.streaminference.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Takes a {@link Reading} of the pipeline's meters: records consumed and dead-lettered per stage, predictions per model
 * version and label, their score histogram, and the ingest-to-store latency histogram. The histograms must be
 * cumulative, as the Prometheus registry keeps them.
 */
final class MeterReader {

    static final String LATENCY = "pipeline.ingest.to.store.latency";

    private final MeterRegistry registry;

    MeterReader(MeterRegistry registry) {
        this.registry = registry;
    }

    Reading read(long nowMs) {
        Map<String, Double> values = new HashMap<>();
        for (Counter counter : registry.find("pipeline.records.in").counters()) {
            values.merge("in|" + counter.getId().getTag("stage"), counter.count(), Double::sum);
        }
        for (Counter counter : registry.find("pipeline.records.dead.lettered").counters()) {
            values.merge("dl|" + counter.getId().getTag("stage") + "|" + counter.getId().getTag("reason"),
                    counter.count(), Double::sum);
        }
        for (Counter counter : registry.find("pipeline.predictions").counters()) {
            values.merge("pred|" + model(counter.getId()) + "|" + counter.getId().getTag("label"), counter.count(),
                    Double::sum);
        }
        for (DistributionSummary scores : registry.find("pipeline.prediction.score").summaries()) {
            String model = model(scores.getId());
            HistogramSnapshot snapshot = scores.takeSnapshot();
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                values.merge("score|" + model + "|" + bucket.bucket(), bucket.count(), Double::sum);
            }
            values.merge("score|" + model + "|count", (double) snapshot.count(), Double::sum);
        }
        Timer latency = registry.find(LATENCY).timer();
        if (latency != null) {
            HistogramSnapshot snapshot = latency.takeSnapshot();
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                values.put("lat|" + (long) bucket.bucket(TimeUnit.MILLISECONDS), bucket.count());
            }
            values.put("lat|count", (double) snapshot.count());
        }
        return new Reading(nowMs, values);
    }

    private static String model(io.micrometer.core.instrument.Meter.Id id) {
        return id.getTag("stage") + "|" + id.getTag("model") + "|" + id.getTag("version");
    }
}
