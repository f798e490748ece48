package io.streaminference.roles;

/**
 * What one process runs ({@code pipeline.roles}, default all): each stage of the pipeline, and the API with the
 * dashboard. Processes with different roles share the topics and Redis, and scale by their own consumer groups.
 */
public enum Role {
    /** s0 → s1. */
    PREPROCESS,
    /** s1 → s2 and s1-sessions → s2-sessions, the only role with a channel to the model server. */
    INFERENCE,
    /** s2 and s2-sessions → Redis, and the dead-letter log. */
    SINK,
    /** s1 → s1-sessions (Kafka Streams), while {@code pipeline.sessions.enabled}. */
    SESSIONS,
    /** labels ⋈ predictions (Kafka Streams), while {@code pipeline.evaluation.enabled}. */
    EVALUATION,
    /** The REST API and the dashboard, reading Redis. */
    API
}
