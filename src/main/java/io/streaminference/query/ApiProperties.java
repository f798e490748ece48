package io.streaminference.query;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Access to the query API ({@code pipeline.api.*}).
 *
 * @param keys API keys, one of which every {@code /api/**} request must carry in {@code X-API-Key}; empty leaves the
 *             API open (for deployments that authenticate at a gateway). Set from a secret, e.g. PIPELINE_API_KEYS.
 */
@Validated
@ConfigurationProperties("pipeline.api")
public record ApiProperties(List<@NotNull @Size(min = 16, max = 256) String> keys) {

    public ApiProperties {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }
}
