package io.streaminference.inference;

import io.grpc.Status;
import io.streaminference.delivery.TransientFailure;

/**
 * The model refuses a row it accepted before (or the all-zeros row before the first): the request does not fit the
 * model — an input name, dtype or shape it does not have, an unknown version label or signature, often after a model
 * rollout or a configuration change. A fault of the request or the model, never of the rows: the batch is retried,
 * the breaker pauses the stage, and nothing is dead-lettered.
 */
class ModelRequestException extends RuntimeException implements TransientFailure {

    ModelRequestException(Status refusal) {
        super("The model refuses the request itself, not a row of it (INVALID_ARGUMENT for a row it accepts): "
                + refusal.getDescription() + "; check pipeline.inference.models.* against the served model's signature");
    }
}
