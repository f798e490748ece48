package io.streaminference.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Millisecond latency histogram for the null relay's open-loop run (the app has its own Micrometer histogram):
 * one bucket per millisecond up to two minutes, the last bucket holding everything slower.
 */
final class LatencyRecorder {

    private static final int BUCKETS = 120_001;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long millis) {
        counts.incrementAndGet((int) Math.max(0, Math.min(BUCKETS - 1, millis)));
    }

    void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }

    long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The smallest latency in ms that {@code quantile} of the recorded values do not exceed; NaN when empty. */
    double quantileMs(double quantile) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return BUCKETS - 1;
    }
}
