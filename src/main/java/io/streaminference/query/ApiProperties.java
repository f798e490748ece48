package io.streaminference.query;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Access to the query API ({@code pipeline.api.*}).
 *
 * @param keys API keys: a request carrying one in {@code X-API-Key} is a reader (the API and the dashboard's data).
 *             Set from a secret, e.g. PIPELINE_API_KEYS.
 * @param open the API and the dashboard without credentials — only on purpose, behind a gateway that authenticates
 *             (or the local demo); off by default. Redriving dead letters needs an operator either way.
 */
@Validated
@ConfigurationProperties("pipeline.api")
public record ApiProperties(List<@NotNull @Size(min = 16, max = 256) String> keys, Boolean open) {

    public ApiProperties {
        keys = keys == null ? List.of() : List.copyOf(keys);
        open = open != null && open;
    }
}
