package io.streaminference.roles;

import java.util.Set;

/**
 * What one process runs ({@code pipeline.roles}, default all): each stage of the pipeline, and the API with the
 * dashboard. Processes with different roles share the topics and Redis, and scale by their own consumer groups. Each
 * role says which shared services it needs, so a process connects only to those.
 */
public enum Role {
    /** s0 → s1. */
    PREPROCESS(Service.KAFKA),
    /** s1 → s2 and s1-sessions → s2-sessions, the only role with a channel to the model server. */
    INFERENCE(Service.KAFKA),
    /** s2 and s2-sessions → Redis, and the dead-letter log. */
    SINK(Service.KAFKA, Service.REDIS),
    /** s1 → s1-sessions (Kafka Streams), while {@code pipeline.sessions.enabled}. */
    SESSIONS(Service.KAFKA),
    /** labels ⋈ predictions (Kafka Streams), while {@code pipeline.evaluation.enabled}. */
    EVALUATION(Service.KAFKA),
    /** The REST API and the dashboard, reading Redis. */
    API(Service.REDIS);

    /** A shared service several roles need. */
    public enum Service {
        /** Records consumed or produced (the API reads none). */
        KAFKA,
        /** Predictions written or read. */
        REDIS
    }

    private final Set<Service> uses;

    Role(Service... uses) {
        this.uses = Set.of(uses);
    }

    public boolean uses(Service service) {
        return uses.contains(service);
    }
}
