package io.streaminference.inference;

import io.streaminference.delivery.TransientFailure;

/**
 * The model's answer does not match the configured contract (missing output, wrong dtype or shape). This is a
 * deployment or configuration fault, not a fault of the rows, so the batch is retried rather than dead-lettered.
 */
class ModelOutputException extends RuntimeException implements TransientFailure {

    ModelOutputException(String message) {
        super(message);
    }
}
