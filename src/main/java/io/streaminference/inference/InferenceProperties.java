package io.streaminference.inference;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

/**
 * How the inference stages call TensorFlow Serving ({@code pipeline.inference.*}): one model for events (s1 → s2),
 * one for sessions (s1-sessions → s2-sessions), the same batching, deadlines and encoding for both. The channel itself
 * is configured under {@code grpc.client.tf-serving.*}.
 *
 * @param maxBatchSize   rows per PredictRequest
 * @param maxInFlight    Predict calls outstanding at once per consumer thread
 * @param deadline       deadline of every Predict call
 * @param tensorEncoding how the input tensor is written: {@code tensor-content} (raw bytes) or {@code float-val}
 */
@Validated
@ConfigurationProperties("pipeline.inference")
public record InferenceProperties(
        @Valid @NotNull Models models,
        @Min(1) @Max(100_000) int maxBatchSize,
        @Min(1) @Max(64) int maxInFlight,
        @NotNull @DurationMin(millis = 10) @DurationMax(minutes = 5) Duration deadline,
        TensorEncoding tensorEncoding) {

    public InferenceProperties {
        if (tensorEncoding == null) {
            tensorEncoding = TensorEncoding.TENSOR_CONTENT;
        }
    }

    public enum TensorEncoding { TENSOR_CONTENT, FLOAT_VAL }

    /**
     * A canary on the Kafka path: {@code share} of the entities (sticky: a hash of the entity key, so a user's events
     * never flip between versions) are scored by the version {@code label} points at, the rest by the stage's
     * version-label.
     */
    public record Canary(String label, @DecimalMin("0.0") @DecimalMax("1.0") double share) {
    }

    /**
     * @param events   scores each event's {@code Features}
     * @param sessions scores each session's {@code SessionFeatures} (used while {@code pipeline.sessions.enabled})
     */
    public record Models(@Valid @NotNull Model events, @Valid @NotNull Model sessions) {

        @AssertTrue(message = "shadow scoring (shadow-label) is for the event model: its predictions go to "
                + "pipeline.topics.shadow-predictions")
        public boolean isShadowOnEventsOnly() {
            return sessions == null || !sessions.hasShadow();
        }
    }

    /**
     * A served model: its name, the names of its signature's input and output tensors, and how its scores become a
     * label.
     *
     * @param version      pin this version; empty to let the server choose
     * @param versionLabel pin this label (e.g. {@code stable}); not together with {@code version}
     * @param labels       label names: two for a single-score model (below / at-or-above threshold), else one per
     *                     score
     * @param threshold    decision threshold of a single-score model
     * @param canary       a share of users scored by another label's version; null or share 0 for none
     * @param shadowLabel  every row also scored by the version this label points at, to the shadow topic; empty for
     *                     none
     */
    public record Model(
            @NotBlank String name,
            @NotBlank String signatureName,
            @NotBlank String inputName,
            @NotBlank String outputName,
            @Positive Long version,
            String versionLabel,
            @NotNull @Size(min = 2) List<@NotBlank String> labels,
            @DecimalMin("0.0") @DecimalMax("1.0") double threshold,
            @Valid Canary canary,
            String shadowLabel) {

        /** The one the binder uses (a record with a second constructor must say which). */
        @ConstructorBinding
        public Model {
        }

        public Model(String name, String signatureName, String inputName, String outputName, Long version,
                String versionLabel, List<String> labels, double threshold) {
            this(name, signatureName, inputName, outputName, version, versionLabel, labels, threshold, null, null);
        }

        @AssertTrue(message = "a canary (canary.share > 0) needs the stage pinned to a version-label (its stable "
                + "label), and a canary label of its own")
        public boolean isCanaryBesideALabel() {
            return !hasCanary() || (hasVersionLabel() && canary.label() != null && !canary.label().isBlank()
                    && !canary.label().equals(versionLabel));
        }

        boolean hasShadow() {
            return shadowLabel != null && !shadowLabel.isBlank();
        }

        boolean hasCanary() {
            return canary != null && canary.share() > 0;
        }

        @AssertTrue(message = "set version or version-label, not both")
        public boolean isSingleVersionChoice() {
            return version == null || versionLabel == null || versionLabel.isBlank();
        }

        boolean hasVersionLabel() {
            return versionLabel != null && !versionLabel.isBlank();
        }
    }
}
