package io.streaminference.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.streaminference.evaluation.OnlineMetrics;
import java.util.List;

/**
 * One model's versions: those the model server reports and those that answered labelled traffic, each with its
 * state and its online evaluation.
 *
 * @param error why the model server did not answer, else null (the evaluations still show)
 */
record ModelVersionsView(
        @JsonProperty("name") String name,
        @JsonProperty("pinned_version") Long pinnedVersion,
        @JsonProperty("pinned_label") String pinnedLabel,
        @JsonProperty("label_version") Long labelVersion,
        @JsonProperty("versions") List<Version> versions,
        @JsonProperty("error") String error) {

    /**
     * @param state      the model server's state of the version ({@code AVAILABLE}…), null when it no longer
     *                   reports it
     * @param labels     the pinned label when it points at this version (the server cannot list its labels)
     * @param evaluation null until a labelled prediction of the version has been read
     */
    record Version(
            @JsonProperty("version") long version,
            @JsonProperty("state") String state,
            @JsonProperty("labels") List<String> labels,
            @JsonProperty("evaluation") OnlineMetrics evaluation) {
    }
}
