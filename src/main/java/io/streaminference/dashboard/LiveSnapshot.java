package io.streaminference.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One second of the live view, as the page receives it.
 *
 * @param latency ingest (s0 record time) to Redis write over the last {@value Snapshots#LATENCY_WINDOW_S} seconds;
 *                null while nothing was stored in that window
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LiveSnapshot(
        @JsonProperty("t") long atMs,
        @JsonProperty("stages") List<Stage> stages,
        @JsonProperty("latency") Latency latency,
        @JsonProperty("dead_letters") List<DeadLetters> deadLetters,
        @JsonProperty("models") List<Model> models) {

    /**
     * @param consumed records consumed since the app started
     * @param perSecond consumed per second, over the last second
     * @param lag       records behind the end of its input (its consumers' latest fetch), null when unknown
     * @param state     {@code running}, {@code paused} (breaker open), or the session stage's Kafka Streams state
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Stage(
            @JsonProperty("stage") String stage,
            @JsonProperty("consumed") long consumed,
            @JsonProperty("per_s") double perSecond,
            @JsonProperty("lag") Long lag,
            @JsonProperty("state") String state) {
    }

    /** Percentiles as the upper bound of their histogram bucket (the histogram's buckets are some 10-30% apart). */
    record Latency(
            @JsonProperty("p50_ms") long p50Ms,
            @JsonProperty("p99_ms") long p99Ms,
            @JsonProperty("count") long count) {
    }

    record DeadLetters(
            @JsonProperty("stage") String stage,
            @JsonProperty("reason") String reason,
            @JsonProperty("total") long total,
            @JsonProperty("last_minute") long lastMinute) {
    }

    /**
     * Predictions of one model version over the last {@value Snapshots#MODEL_WINDOW_S} seconds.
     *
     * @param histogram counts of the best score per tenth: [0, 0.1], (0.1, 0.2], … (0.9, 1]
     */
    record Model(
            @JsonProperty("stage") String stage,
            @JsonProperty("model") String model,
            @JsonProperty("version") String version,
            @JsonProperty("per_s") double perSecond,
            @JsonProperty("labels") Map<String, Long> labels,
            @JsonProperty("histogram") long[] histogram) {
    }
}
