package io.streaminference.sink;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How predictions are kept in Redis ({@code pipeline.sink.*}); the connection is {@code spring.data.redis.*}.
 *
 * @param keyPrefix         prefix of every key the pipeline writes
 * @param ttl               how long a stored prediction is kept at least
 * @param bucketPeriod      length of the write-time buckets the store keeps records in ({@link StoreBuckets})
 * @param entityHistorySize newest predictions kept in each entity's index per bucket
 * @param readLegacyKeys    also read the keys of the layout before buckets, until they expire
 */
@Validated
@ConfigurationProperties("pipeline.sink")
public record SinkProperties(
        @NotNull @Pattern(regexp = "[A-Za-z0-9:._{}-]{0,64}") String keyPrefix,
        @NotNull @DurationMin(seconds = 1) Duration ttl,
        @NotNull @DurationMin(seconds = 1) Duration bucketPeriod,
        @Min(1) @Max(100_000) int entityHistorySize,
        boolean readLegacyKeys) {

    /** Every read and every write looks in each live bucket, so their number is bounded. */
    static final int MAX_LIVE_BUCKETS = 32;

    @AssertTrue(message = "must be at most pipeline.sink.ttl and at least pipeline.sink.ttl / 30: a lookup reads "
            + "every bucket not yet expired, ttl / bucket-period + 2 of them, at most " + MAX_LIVE_BUCKETS)
    public boolean isBucketPeriodWithinTtl() {
        return ttl == null || bucketPeriod == null || bucketPeriod.isZero()
                || (bucketPeriod.compareTo(ttl) <= 0 && ttl.toMillis() / bucketPeriod.toMillis() + 2 <= MAX_LIVE_BUCKETS);
    }
}
