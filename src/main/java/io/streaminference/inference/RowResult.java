package io.streaminference.inference;

/** What scoring made of one row: its scores, or the model's refusal of that row alone (it becomes a dead letter). */
sealed interface RowResult {

    /** @param modelVersion the version that answered */
    record Scored(float[] scores, long modelVersion) implements RowResult {
    }

    /** @param detail the model server's INVALID_ARGUMENT description */
    record Invalid(String detail) implements RowResult {
    }
}
