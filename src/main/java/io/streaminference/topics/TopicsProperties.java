package io.streaminference.topics;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The pipeline's topic names ({@code pipeline.topics.*}): the single place code and tests read them from.
 *
 * @param events            s0, raw JSON events
 * @param features          s1, {@code Features} protobuf
 * @param predictions       s2, {@code Prediction} protobuf
 * @param sessions          s1-sessions, {@code SessionFeatures} protobuf
 * @param sessionPredictions s2-sessions, {@code SessionPrediction} protobuf
 * @param labels            ground truth for events and sessions, {@code Label} protobuf
 * @param evaluations       labelled predictions, {@code Evaluation} protobuf (the evaluation stage's output)
 * @param shadowPredictions {@code Prediction}s of the shadow version (not stored; evaluated)
 * @param deadLetterSuffix  appended to a source topic to name its dead-letter topic
 * @param partitions        partitions of topics the app creates; dead-letter topics get the same count
 * @param replicationFactor replication of topics the app creates
 * @param minInsyncReplicas  {@code min.insync.replicas} of topics the app creates; null: 2 when the replication factor
 *                           is 3 or more (an acknowledged write then survives the loss of a broker), else the broker's
 */
@Validated
@ConfigurationProperties("pipeline.topics")
public record TopicsProperties(
        @NotNull @Pattern(regexp = TOPIC) String events,
        @NotNull @Pattern(regexp = TOPIC) String features,
        @NotNull @Pattern(regexp = TOPIC) String predictions,
        @NotNull @Pattern(regexp = TOPIC) String sessions,
        @NotNull @Pattern(regexp = TOPIC) String sessionPredictions,
        @NotNull @Pattern(regexp = TOPIC) String labels,
        @NotNull @Pattern(regexp = TOPIC) String evaluations,
        @NotNull @Pattern(regexp = TOPIC) String shadowPredictions,
        @NotNull @Pattern(regexp = "[a-zA-Z0-9._-]{1,32}") String deadLetterSuffix,
        @Min(1) @Max(10_000) int partitions,
        @Min(1) @Max(32) short replicationFactor,
        @Min(1) @Max(32) Integer minInsyncReplicas) {

    /** Kafka's legal topic names. */
    static final String TOPIC = "[a-zA-Z0-9._-]{1,200}";

    /** The {@code min.insync.replicas} to create topics with, or null for the broker's default. */
    public Integer effectiveMinInsyncReplicas() {
        if (minInsyncReplicas != null) {
            return minInsyncReplicas;
        }
        return replicationFactor >= 3 ? 2 : null;
    }

    @AssertTrue(message = "must not exceed pipeline.topics.replication-factor: no write could be acknowledged")
    public boolean isMinInsyncReplicasWithinReplicationFactor() {
        return minInsyncReplicas == null || minInsyncReplicas <= replicationFactor;
    }

    public String deadLetterOf(String topic) {
        return topic + deadLetterSuffix;
    }

    /** The topics a stage consumes, whose dead letters have a topic of their own. */
    public java.util.List<String> consumed() {
        return java.util.List.of(events, features, predictions, sessions, sessionPredictions, labels);
    }
}
