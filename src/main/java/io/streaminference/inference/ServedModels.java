package io.streaminference.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
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
@ConditionalOnRole(Role.INFERENCE)
@Component
public class ServedModels {

    static final long CACHE_MS = 5_000;

    /**
     * @param versions     every version the server serves → state ({@code AVAILABLE}, {@code LOADING}…), empty
     *                     when the server did not answer
     * @param labelVersion the version the pinned label points at now, null without a pinned label
     * @param error        why the server did not answer, else null
     */
    public record Served(
            @JsonProperty("name") String name,
            @JsonProperty("pinned_version") Long pinnedVersion,
            @JsonProperty("pinned_label") String pinnedLabel,
            @JsonProperty("label_version") Long labelVersion,
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

    /** The next call asks the model server again (its configuration just changed). */
    synchronized void forget() {
        cached = null;
    }

    public synchronized List<Served> models() {
        long now = clock.millis();
        if (cached == null || now - cachedAt >= CACHE_MS) {
            List<Served> fresh = new ArrayList<>();
            for (ModelStatusProbe probe : probes.orderedStream().toList()) {
                InferenceProperties.Model model = probe.model();
                Map<String, String> versions = new TreeMap<>();
                Long labelVersion = null;
                String error = null;
                try {
                    probe.allVersions().forEach((version, state) -> versions.put(Long.toString(version),
                            state.name()));
                    if (pinnedLabel(model) != null) {
                        labelVersion = probe.versions().keySet().stream().findFirst().orElse(null);
                    }
                } catch (RuntimeException e) {
                    error = e.getMessage();
                }
                fresh.add(new Served(model.name(), model.version(), pinnedLabel(model), labelVersion, versions,
                        error));
            }
            cached = List.copyOf(fresh);
            cachedAt = now;
        }
        return cached;
    }

    /** A blank label (an empty environment variable) pins nothing: the API says so with null, not "". */
    private static String pinnedLabel(InferenceProperties.Model model) {
        return model.hasVersionLabel() ? model.versionLabel() : null;
    }
}
