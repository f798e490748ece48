package io.streaminference.inference;

import io.grpc.Status;
import io.streaminference.delivery.TransientFailure;
import javax.net.ssl.SSLException;

/**
 * The model server could not answer (down, slow, overloaded, model not loaded, or the TLS handshake failed): transient,
 * the batch is retried. A failed handshake says so — "io exception" alone does not tell an operator to look at the
 * certificates of {@code grpc.client.tf-serving.security.*}.
 */
class ModelUnavailableException extends RuntimeException implements TransientFailure {

    ModelUnavailableException(Status status, Throwable cause) {
        super("Predict failed with " + status.getCode() + (status.getDescription() == null ? ""
                : ": " + status.getDescription()) + tls(status.getCause() != null ? status.getCause() : cause), cause);
    }

    private static String tls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return " (TLS handshake with the model server failed: " + ssl.getMessage()
                        + "; check grpc.client.tf-serving.security.*)";
            }
        }
        return "";
    }
}
