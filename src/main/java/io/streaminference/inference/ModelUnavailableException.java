package io.streaminference.inference;

import io.grpc.Status;
import io.streaminference.delivery.TransientFailure;

/** The model server could not answer (down, slow, overloaded, model not loaded): transient, the batch is retried. */
class ModelUnavailableException extends RuntimeException implements TransientFailure {

    ModelUnavailableException(Status status, Throwable cause) {
        super("Predict failed with " + status.getCode() + (status.getDescription() == null ? ""
                : ": " + status.getDescription()), cause);
    }
}
