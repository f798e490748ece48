package io.streaminference.inference;

/**
 * The scores of one answered chunk, by row, and the model version that produced them.
 *
 * @param modelVersion from {@code PredictResponse.model_spec.version}, or the pinned version if the server omits it
 * @param rows         {@code rows[i]} belongs to request row i
 */
record ModelOutput(long modelVersion, float[][] rows) {
}
