package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreBucketsTests {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private final StoreBuckets buckets = new StoreBuckets(Duration.ofDays(7), Duration.ofDays(1));

    @Test
    void writesToTheBucketOfTheWriteTimeAndExpiresItTtlAfterItEnds() {
        long now = 100 * DAY + 5;
        assertThat(buckets.current(now)).isEqualTo(100);
        assertThat(buckets.expiresAtMs(100)).isEqualTo(101 * DAY + 7 * DAY);
    }

    @Test
    void readsEveryBucketNotYetExpiredAndOneAhead() {
        long now = 100 * DAY + 5;
        // Bucket 92 expired at 93 + 7 days = day 100, before now; bucket 93 expires at day 101.
        assertThat(buckets.oldest(now)).isEqualTo(93);
        assertThat(buckets.expiresAtMs(93)).isGreaterThan(now);
        assertThat(buckets.expiresAtMs(92)).isLessThanOrEqualTo(now);
        assertThat(buckets.newest(now)).isEqualTo(101);
    }

    @Test
    void spreadsIdsOverEveryShard() {
        int[] counts = new int[StoreBuckets.SHARDS];
        for (int i = 0; i < 100 * StoreBuckets.SHARDS; i++) {
            counts[StoreBuckets.shard("demo-" + Integer.toString(i, 36))]++;
        }
        assertThat(java.util.stream.IntStream.of(counts).summaryStatistics())
                .satisfies(all -> assertThat(all.getMin()).isGreaterThan(50), all -> assertThat(all.getMax()).isLessThan(150));
    }

    @Test
    void refusesABucketLongerThanTheTtl() {
        assertThatIllegalArgumentException().isThrownBy(() -> new StoreBuckets(Duration.ofDays(1), Duration.ofDays(2)));
    }
}
