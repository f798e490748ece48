package io.streaminference.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the model server serves of each configured model, for the API and the dashboard: the versions and their
 * states from {@code GetModelStatus}, and the version or label the pipeline pins. Asked at most every
 * {@value #CACHE_MS} ms, however many pages ask, each call within the probe's deadline.
 */
@Component
public class ServedModels {

    static final long CACHE_MS = 5_000;

    /**
     * @param versions version → state ({@code AVAILABLE}, {@code LOADING}…), empty when the server did not answer
     * @param error    why the server did not answer, else null
     */
    public record Served(
            @JsonProperty("name") String name,
            @JsonProperty("pinned_version") Long pinnedVersion,
            @JsonProperty("pinned_label") String pinnedLabel,
            @JsonProperty("versions") Map<String, String> versions,
            @JsonProperty("error") String error) {
    }

    private final ObjectProvider<ModelStatusProbe> probes;
    private final Clock clock = Clock.systemUTC();
    private List<Served> cached;
    private long cachedAt;

    ServedModels(ObjectProvider<ModelStatusProbe> probes) {
        this.probes = probes;
    }

    public synchronized List<Served> models() {
        long now = clock.millis();
        if (cached == null || now - cachedAt >= CACHE_MS) {
            List<Served> fresh = new ArrayList<>();
            for (ModelStatusProbe probe : probes.orderedStream().toList()) {
                InferenceProperties.Model model = probe.model();
                Map<String, String> versions = new TreeMap<>();
                String error = null;
                try {
                    probe.versions().forEach((version, state) -> versions.put(Long.toString(version), state.name()));
                } catch (RuntimeException e) {
                    error = e.getMessage();
                }
                fresh.add(new Served(model.name(), model.version(), model.versionLabel(), versions, error));
            }
            cached = List.copyOf(fresh);
            cachedAt = now;
        }
        return cached;
    }
}
