package io.streaminference.preprocess;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on s0 input ({@code pipeline.preprocess.*}); records beyond them are dead-lettered with a reason.
 *
 * @param maxEventBytes   largest accepted record value
 * @param maxNestingDepth deepest accepted JSON nesting (the event itself is depth 1)
 */
@Validated
@ConfigurationProperties("pipeline.preprocess")
public record PreprocessProperties(
        @Min(256) @Max(16 * 1024 * 1024) int maxEventBytes,
        @Min(1) @Max(1000) int maxNestingDepth) {

    /** The shipped limits (application.yml), which offline featurisation uses too. */
    static final int DEFAULT_MAX_EVENT_BYTES = 65_536;
    static final int DEFAULT_MAX_NESTING_DEPTH = 8;
}
