package io.streaminference.inference;

import io.grpc.Status;

/** The model server could not answer (down, slow, overloaded, model not loaded): transient, the batch is retried. */
class ModelUnavailableException extends RuntimeException {

    ModelUnavailableException(Status status, Throwable cause) {
        super("Predict failed with " + status.getCode() + (status.getDescription() == null ? ""
                : ": " + status.getDescription()), cause);
    }
}
