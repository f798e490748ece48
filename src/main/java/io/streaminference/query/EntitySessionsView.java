package io.streaminference.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** An entity's newest sessions, newest start first. */
record EntitySessionsView(
        @JsonProperty("entity_key") String entityKey,
        @JsonProperty("sessions") List<SessionView> sessions) {
}
