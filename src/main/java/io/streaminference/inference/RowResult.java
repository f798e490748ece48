package io.streaminference.inference;

/** What scoring made of one row: its scores, or the model's refusal of that row alone. */
sealed interface RowResult {

    /** @param modelVersion the version that answered */
    record Scored(float[] scores, long modelVersion) implements RowResult {
    }

    /** @param message the model server's INVALID_ARGUMENT description */
    record Refused(String message) implements RowResult {
    }
}
